import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { expect } from "chai";
import { prompt } from "../../ivr-flows/prompts/index.js";
import { startTestServer, TEST_AUTH_TOKEN, type TestServer } from "../support/app.js";
import { testDataSource } from "../support/database.js";
import { IvrFixtures, OPEN_NOW } from "./fixtures.js";

const run = promisify(execFile);
const cli = fileURLToPath(new URL("../../scripts/call.js", import.meta.url));

describe("npm run call (scripts/call.ts)", () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await startTestServer();
    server.context.now = () => OPEN_NOW;
  });
  afterEach(async () => server.close());

  const call = (...args: string[]) =>
    run(process.execPath, [cli, "--url", server.url, "--token", TEST_AUTH_TOKEN, "--prefix", server.context.env.REDIS_PREFIX, ...args], { timeout: 20_000 });

  it("prints what a known caller hears up to the queue, the callback choice and the outcome", async () => {
    const fx = new IvrFixtures(await testDataSource());
    const { customer } = await fx.customer();
    const { phone } = await fx.person(customer, { firstName: "Wout", language: "nl" });
    const { stdout } = await call("--from", phone!, "--press", "1", "--queue-press", "1");
    expect(stdout).to.contain(`caller hears [nl-BE]: ${prompt("nl", "welcome", { name: "Wout" })}`);
    expect(stdout).to.contain("caller presses 1");
    expect(stdout).to.contain(prompt("nl", "queuePosition", { position: 1 }));
    expect(stdout).to.contain(prompt("nl", "callbackConfirmed"));
    expect(stdout).to.match(/Outcome: left queue desk-nl; the desk hung up/);
  });

  it("plays an anonymous caller through the language menu and a wrong PIN, silences marked with -", async () => {
    const { stdout } = await call("--from", "anonymous", "--press", "3,1234,-");
    expect(stdout).to.contain(`caller hears [fr-BE]: ${prompt("fr", "languageOption", { digit: 2 })}`);
    expect(stdout).to.contain(prompt("en", "pinRejected"));
    expect(stdout).to.contain("caller stays silent");
    expect(stdout).to.contain("Outcome:");
  });

  it("exits with 1 and says so when the desk refuses the signature", async () => {
    const failure = await run(process.execPath, [cli, "--url", server.url, "--token", "wrong-token-123456", "--from", "anonymous"], { timeout: 20_000 }).catch((error) => error);
    expect(failure.code).to.equal(1);
    expect(failure.stdout).to.contain("application error: HTTP 403");
  });
});
