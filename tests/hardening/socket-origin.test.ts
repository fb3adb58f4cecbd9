import { expect } from "chai";
import { io as connect, type Socket } from "socket.io-client";
import { startTestServer, type TestServer } from "../support/app.js";
import { resetDatabase } from "../support/database.js";
import { fixtures } from "../support/fixtures.js";
import { login } from "../routes/console/helpers.js";

/** Opens a real Socket.IO client with the agent's cookie and the given Origin; resolves "connected" or the refusal's message. */
function handshake(url: string, cookie: string, origin: string | null, transport: "websocket" | "polling"): Promise<string> {
  const socket: Socket = connect(url, {
    forceNew: true,
    reconnection: false,
    transports: [transport],
    extraHeaders: { cookie, ...(origin === null ? {} : { origin }) },
  });
  return new Promise((resolve) => {
    socket.once("connect", () => {
      socket.close();
      resolve("connected");
    });
    socket.once("connect_error", (error) => {
      socket.close();
      resolve(`refused: ${error.message}`);
    });
  });
}

/** The values of the CSP's connect-src on one answer. */
async function connectSrc(url: string): Promise<string[] | undefined> {
  const policy = (await fetch(`${url}/healthz`)).headers.get("content-security-policy") ?? "";
  return new Map(policy.split(";").map((part) => part.trim().split(/\s+/)).map(([name, ...values]) => [name!, values])).get("connect-src");
}

describe("Socket.IO handshakes only from the desk's own origin (cross-site WebSocket hijacking)", () => {
  let server: TestServer;
  afterEach(async () => {
    await server.close();
  });

  async function agentCookie(): Promise<string> {
    await resetDatabase(server.context.dataSource);
    const agent = await fixtures(server.context.dataSource).agent();
    return login(server.url, agent.email, undefined, new URL(server.context.baseUrl).origin);
  }

  for (const transport of ["websocket", "polling"] as const) {
    it(`refuses a foreign Origin and accepts the desk's own or none (${transport})`, async () => {
      server = await startTestServer();
      const cookie = await agentCookie();
      expect(await handshake(server.url, cookie, "http://evil.example:1234", transport)).to.match(/^refused/);
      expect(await handshake(server.url, cookie, "null", transport)).to.match(/^refused/);
      // Same host, other port: another origin.
      expect(await handshake(server.url, cookie, `http://127.0.0.1:${server.port + 1}`, transport)).to.match(/^refused/);
      expect(await handshake(server.url, cookie, new URL(server.url).origin, transport)).to.equal("connected");
      expect(await handshake(server.url, cookie, null, transport)).to.equal("connected");
    });
  }

  it("takes the desk's origin from PUBLIC_BASE_URL, and limits the CSP connect-src to it", async () => {
    server = await startTestServer({ PUBLIC_BASE_URL: "https://desk.example.be/" });
    const cookie = await agentCookie();
    expect(await handshake(server.url, cookie, "https://desk.example.be", "websocket")).to.equal("connected");
    expect(await handshake(server.url, cookie, "http://desk.example.be", "websocket")).to.match(/^refused/);
    expect(await handshake(server.url, cookie, new URL(server.url).origin, "websocket")).to.match(/^refused/);
    expect(await connectSrc(server.url)).to.deep.equal(["'self'", "wss://desk.example.be"]);
  });

  it("names only the desk's own ws: origin in connect-src on plain http", async () => {
    server = await startTestServer();
    // Not the bare schemes ws: wss:, which would let injected script open a socket to any host.
    expect(await connectSrc(server.url)).to.deep.equal(["'self'", `ws://127.0.0.1:${server.port}`]);
  });
});
