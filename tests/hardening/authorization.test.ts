import { expect } from "chai";
import { io as connect } from "socket.io-client";
import { Agent } from "../../entities/Agent.js";
import { AgentSession } from "../../entities/AgentSession.js";
import type { ClientToServerEvents } from "../../shared-types/socket-events.js";
import { createApp } from "../../server/app.js";
import { openSession } from "../../server/auth/sessions.js";
import { connectSocket, settle, type ClientSocket } from "../routes/console/helpers.js";
import { startTestServer, type TestServer } from "../support/app.js";
import { resetDatabase } from "../support/database.js";
import { fixtures } from "../support/fixtures.js";
import { walkApp } from "./route-walk.js";
import { deskFetch } from "../support/desk-fetch.js";

type Role = "agent" | "supervisor" | "admin";
/** Who may use a route: open to all, Twilio's signature (tests/hardening/twilio-fuzz), the simulator (any login, simulation only), the built UI, or these roles. */
type Access = "public" | "twilio" | "simulator" | "static" | readonly Role[];

const ALL: readonly Role[] = ["agent", "supervisor", "admin"];
const SUPERVISORS: readonly Role[] = ["supervisor", "admin"];
const ADMIN: readonly Role[] = ["admin"];

/** The admin API's usual resource: supervisors read, administrators write. */
const adminResource = (path: string): Record<string, Access> => ({
  [`GET /api/admin/${path}`]: SUPERVISORS,
  [`POST /api/admin/${path}`]: ADMIN,
  [`GET /api/admin/${path}/:id`]: SUPERVISORS,
  [`PATCH /api/admin/${path}/:id`]: ADMIN,
  [`DELETE /api/admin/${path}/:id`]: ADMIN,
});

/**
 * Every route the app serves and who may use it. The first test compares this table with the routes walked out of
 * the express routers: a new route fails the suite until it is written down here with its roles.
 */
const ROUTE_ACCESS: Record<string, Access> = {
  "GET /healthz": "public",
  "GET /readyz": "public",
  "POST /twilio/voice": "twilio",
  "POST /twilio/ivr/:step": "twilio",
  "POST /twilio/status": "twilio",
  "POST /twilio/fallback": "twilio",
  "POST /twilio/queue/wait": "twilio",
  "POST /twilio/queue/key": "twilio",
  "POST /twilio/queue/exit": "twilio",
  "POST /twilio/recording": "twilio",
  "POST /twilio/connect-agent": "twilio",
  "POST /twilio/callback-bridge": "twilio",
  "POST /twilio/callback-status": "twilio",
  "POST /twilio/dial-action": "twilio",
  "GET /sim/config": "simulator",
  "GET /sim/incoming": "simulator",
  "POST /sim/incoming/:callSid/answer": "simulator",
  "POST /sim/incoming/:callSid/decline": "simulator",
  "POST /sim/calls": "simulator",
  "GET /sim/calls/:callSid": "simulator",
  "POST /sim/calls/:callSid/press": "simulator",
  "POST /sim/calls/:callSid/silence": "simulator",
  "POST /sim/calls/:callSid/message": "simulator",
  "POST /sim/calls/:callSid/hangup": "simulator",
  "POST /sim/calls/:callSid/dial/:action": "simulator",
  "GET /api/voice/token": ALL,
  "GET /api/admin/openapi.json": SUPERVISORS,
  "GET /api/admin/session": ALL,
  ...adminResource("customers"),
  ...adminResource("campuses"),
  ...adminResource("persons"),
  "PUT /api/admin/persons/:id/pin": ADMIN,
  "DELETE /api/admin/persons/:id/pin": ADMIN,
  "GET /api/admin/persons/:id/export": ADMIN,
  "POST /api/admin/persons/:id/erase": ADMIN,
  ...adminResource("products"),
  ...adminResource("contracts"),
  ...adminResource("sla-policies"),
  ...adminResource("agents"),
  "PUT /api/admin/agents/:id/password": ADMIN,
  "GET /api/admin/audit": SUPERVISORS,
  "POST /api/admin/imports/:kind": ADMIN,
  "GET /api/admin/imports/jobs/:id": SUPERVISORS,
  "GET /api/admin/imports/:kind/template": SUPERVISORS,
  "GET /api/admin/reports/reference-completeness": SUPERVISORS,
  "GET /api/admin/reports/reference-completeness/:id": SUPERVISORS,
  "GET /api/admin/outbox/dead-letters": ADMIN,
  "POST /api/admin/outbox/dead-letters/:id/retry": ADMIN,
  "POST /api/auth/login": "public",
  "POST /api/auth/logout": "public",
  "GET /api/me": ALL,
  "PATCH /api/me": ALL,
  "PUT /api/me/status": ALL,
  "POST /api/calls/:id/accept": ALL,
  "GET /api/calls/current": ALL,
  "GET /api/tickets": ALL,
  "GET /api/tickets/:id": ALL,
  "PATCH /api/tickets/:id": ALL,
  "POST /api/tickets/:id/notes": ALL,
  "PUT /api/tickets/:id/scope": ALL,
  "POST /api/tickets/:id/cost-consents": ALL,
  "POST /api/cost-consents/:id/decision": ALL,
  "POST /api/tickets/:id/billable-entries": ALL,
  "POST /api/tickets/:id/on-site-requests": ALL,
  "GET /api/on-site-requests": SUPERVISORS,
  "POST /api/on-site-requests/:id/decision": SUPERVISORS,
  "GET /api/customers": ALL,
  "GET /api/customers/:id": ALL,
  "GET /api/products": ALL,
  "GET /api/agents": ALL,
  "GET /api/supervisor/metrics": SUPERVISORS,
  "PUT /api/supervisor/agents/:id/status": SUPERVISORS,
  "GET /api/tickets/:id/remote-sessions": ALL,
  "POST /api/tickets/:id/remote-sessions": ALL,
  "PATCH /api/remote-sessions/:id": ALL,
  "GET /api/callbacks": ALL,
  "POST /api/callbacks/:id/accept": ALL,
  "ALL /admin/queues/*": ADMIN,
  "GET /*splat": "static",
};

/** Concrete URLs for a route pattern: ids that do not exist, a valid import kind, a well-formed CallSid. */
function concretePaths(route: string): { method: string; path: string }[] {
  const [method, pattern] = route.split(" ") as [string, string];
  if (method === "ALL") return ["", "/api/queues"].map((rest) => ({ method: "GET", path: pattern.replace("/*", rest) }));
  const path = pattern.replace(/:id\b/g, "999999").replace(":kind", "persons").replace(":callSid", `CA${"0".repeat(32)}`).replace(":step", "language").replace(":action", "answer");
  return [{ method, path }];
}

describe("authorization matrix: every route and socket event against every role", function () {
  this.timeout(60_000);
  let server: TestServer;
  const cookies = new Map<string, string | null>();

  before(async () => {
    server = await startTestServer();
    await resetDatabase(server.context.dataSource);
    const make = fixtures(server.context.dataSource);
    cookies.set("no login", null);
    for (const role of ALL) {
      const agent = await make.agent({ role, languages: ["nl"] });
      cookies.set(role, `sd_session=${(await openSession(server.context.dataSource, agent.id, 1)).token}`);
    }
    const deactivated = await make.agent({ role: "admin" });
    cookies.set("deactivated admin", `sd_session=${(await openSession(server.context.dataSource, deactivated.id, 1)).token}`);
    await server.context.dataSource.getRepository(Agent).update({ id: deactivated.id }, { active: false });
    const expired = await make.agent({ role: "admin" });
    cookies.set("expired admin session", `sd_session=${(await openSession(server.context.dataSource, expired.id, 1)).token}`);
    await server.context.dataSource.getRepository(AgentSession).update({ agentId: expired.id }, { expiresAt: new Date(Date.now() - 1000) });
  });
  after(async () => {
    await server.close();
    await resetDatabase(server.context.dataSource);
  });

  const request = async (method: string, path: string, cookie: string | null) => {
    const response = await deskFetch(server.url + path, {
      method,
      redirect: "manual",
      headers: { ...(cookie ? { cookie } : {}), ...(method === "GET" || method === "DELETE" ? {} : { "content-type": "application/json" }) },
      body: method === "GET" || method === "DELETE" ? undefined : "{}",
    });
    await response.arrayBuffer();
    return response.status;
  };

  it("has an access rule for exactly the routes the express routers serve", () => {
    const walked = walkApp(createApp(server.context)).routes;
    expect([...new Set(walked)].sort(), "routes served but missing from ROUTE_ACCESS (or listed but gone)").to.deep.equal(Object.keys(ROUTE_ACCESS).sort());
  });

  it("answers 401 without a login, 403 to a role not allowed, and neither to an allowed role, on every API route", async () => {
    const wrong: string[] = [];
    let checked = 0;
    for (const [route, rule] of Object.entries(ROUTE_ACCESS)) {
      const access = rule === "simulator" ? ALL : rule;
      if (typeof access === "string") continue;
      for (const { method, path } of concretePaths(route)) {
        for (const [who, cookie] of cookies) {
          const status = await request(method, path, cookie);
          checked++;
          const role = who as Role;
          const expected =
            who === "no login" || who.startsWith("deactivated") || who.startsWith("expired") ? "401"
            : access.includes(role) ? "allowed"
            : "403";
          const ok = expected === "allowed" ? status !== 401 && status !== 403 && (status < 500 || (route === "GET /api/voice/token" && status === 503)) : status === Number(expected);
          if (!ok) wrong.push(`${method} ${path} as ${who}: ${status}, expected ${expected}`);
        }
      }
    }
    expect(wrong).to.deep.equal([]);
    expect(checked).to.be.greaterThan(400);
  });

  it("keeps the public routes open: health, login and logout, the built UI", async () => {
    expect(await request("GET", "/healthz", null)).to.equal(200);
    expect(await request("GET", "/readyz", null)).to.equal(200);
    expect(await request("POST", "/api/auth/login", null)).to.equal(400);
    expect(await request("POST", "/api/auth/logout", null)).to.equal(204);
    expect(await request("GET", "/some/console/page", null)).to.equal(200);
  });

  it("refuses every Twilio route without a valid signature, whoever is logged in", async () => {
    for (const [route, access] of Object.entries(ROUTE_ACCESS)) {
      if (access !== "twilio") continue;
      for (const { method, path } of concretePaths(route)) {
        for (const [who, cookie] of cookies) expect(await request(method, path, cookie), `${route} as ${who}`).to.equal(403);
      }
    }
  });

  describe("with a Twilio account configured (not a simulation)", () => {
    let live: TestServer;
    before(async () => {
      live = await startTestServer({ TWILIO_ACCOUNT_SID: `AC${"a".repeat(32)}` });
    });
    after(async () => live.close());

    it("serves no simulator route at all (404), whoever asks", async () => {
      for (const [route, access] of Object.entries(ROUTE_ACCESS)) {
        if (access !== "simulator") continue;
        for (const { method, path } of concretePaths(route)) {
          for (const [who, cookie] of cookies) {
            const response = await fetch(live.url + path, { method, headers: cookie ? { cookie } : {} });
            expect(response.status, `${route} as ${who}`).to.equal(404);
          }
        }
      }
    });
  });

  describe("socket events", () => {
    /** Every client→server event and what each role gets back. Record<keyof …> makes the compiler demand a new event here. */
    const SOCKET_EVENTS: Record<keyof ClientToServerEvents, { allowed: readonly Role[]; check(answer: unknown, allowed: boolean): boolean }> = {
      "screenpop:sync": { allowed: ALL, check: (answer) => Array.isArray(answer) },
      // Sent without ids here, so every role gets the error that names the field.
      "screenpop:check": { allowed: ALL, check: (answer) => typeof answer === "object" && answer !== null && "error" in answer },
      // Every role's console gets its list (empty for an agent who is not available).
      "callback:sync": { allowed: ALL, check: (answer) => typeof answer === "object" && answer !== null && "offers" in answer && Array.isArray(answer.offers) },
      "supervisor:sync": {
        allowed: SUPERVISORS,
        check: (answer, allowed) => (allowed ? typeof answer === "object" && answer !== null && "queues" in answer : answer === null),
      },
      // Sent without ids here, so every role gets the error that names the field.
      "ticket:watch": { allowed: ALL, check: (answer) => typeof answer === "object" && answer !== null && "error" in answer },
      "ticket:unwatch": { allowed: ALL, check: (answer) => typeof answer === "object" && answer !== null && "error" in answer },
      // Every role's console has a softphone (simulation): registered, or refused while offline, with the reason.
      "softphone:register": {
        allowed: ALL,
        check: (answer) => typeof answer === "object" && answer !== null && ("identity" in answer ? Array.isArray((answer as unknown as { ringing: unknown }).ringing) : "error" in answer),
      },
      "softphone:unregister": { allowed: ALL, check: (answer) => typeof answer === "object" && answer !== null && "ok" in answer },
      // Sent without a dialCallSid here, so every role gets the error that names the field.
      "softphone:answer": { allowed: ALL, check: (answer) => JSON.stringify(answer).includes("dialCallSid") },
      "softphone:reject": { allowed: ALL, check: (answer) => JSON.stringify(answer).includes("dialCallSid") },
      "softphone:hangup": { allowed: ALL, check: (answer) => JSON.stringify(answer).includes("dialCallSid") },
      "softphone:digits": { allowed: ALL, check: (answer) => JSON.stringify(answer).includes("dialCallSid") },
    };
    const sockets: ClientSocket[] = [];
    afterEach(() => {
      for (const socket of sockets.splice(0)) socket.close();
    });
    const open = async (role: string) => {
      const socket = await connectSocket(server.url, cookies.get(role)!);
      sockets.push(socket);
      return socket;
    };

    it("lists exactly the events the server listens to", async () => {
      await open("admin");
      const [serverSocket] = [...server.realtime.io.sockets.sockets.values()];
      const reserved = new Set(["disconnect", "disconnecting", "error", "newListener", "removeListener"]);
      const listened = serverSocket!.eventNames().map(String).filter((name) => !reserved.has(name));
      expect(listened.sort()).to.deep.equal(Object.keys(SOCKET_EVENTS).sort());
    });

    it("answers every event according to the role", async () => {
      const wrong: string[] = [];
      for (const role of ALL) {
        const socket = await open(role);
        for (const [event, rule] of Object.entries(SOCKET_EVENTS)) {
          const answer = await socket.timeout(3000).emitWithAck(event as keyof ClientToServerEvents);
          if (!rule.check(answer, rule.allowed.includes(role))) wrong.push(`${event} as ${role}: ${JSON.stringify(answer)?.slice(0, 80)}`);
        }
      }
      expect(wrong).to.deep.equal([]);
    });

    it("pushes the supervisor figures to supervisors and admins only", async () => {
      const received = new Map<Role, number>();
      for (const role of ALL) {
        const socket = connect(server.url, { forceNew: true, reconnection: false, transports: ["websocket"], extraHeaders: { cookie: cookies.get(role)! } }) as ClientSocket;
        sockets.push(socket);
        received.set(role, 0);
        socket.on("supervisor:metrics", () => received.set(role, received.get(role)! + 1));
      }
      await settle(800);
      expect(received.get("agent")).to.equal(0);
      expect(received.get("supervisor")).to.be.greaterThan(0);
      expect(received.get("admin")).to.be.greaterThan(0);
    });

    it("ignores malformed and unknown events and keeps serving", async () => {
      const socket = await open("agent");
      const raw = socket as unknown as { emit(event: string, ...args: unknown[]): void };
      raw.emit("screenpop:sync", "not a function");
      raw.emit("supervisor:sync", { ack: true });
      raw.emit("screenpop:sync");
      raw.emit("admin:everything", 1, 2, 3);
      expect(Array.isArray(await socket.timeout(3000).emitWithAck("screenpop:sync"))).to.equal(true);
    });

    describe("after the handshake, as the session changes", () => {
      const connected = async (role: Role) => {
        const agent = await fixtures(server.context.dataSource).agent({ role, languages: ["nl"] });
        const cookie = `sd_session=${(await openSession(server.context.dataSource, agent.id, 1)).token}`;
        const socket = await connectSocket(server.url, cookie);
        sockets.push(socket);
        const disconnected = new Promise<string>((resolve) => socket.once("disconnect", resolve));
        return { agent, cookie, socket, disconnected };
      };

      for (const [ending, end] of [
        ["a logout", (c: { cookie: string }) => deskFetch(`${server.url}/api/auth/logout`, { method: "POST", headers: { cookie: c.cookie } }).then(() => undefined)],
        ["the session's expiry", (c: { agent: Agent }) => server.context.dataSource.getRepository(AgentSession).update({ agentId: c.agent.id }, { expiresAt: new Date(Date.now() - 1000) }).then(() => undefined)],
        ["the account's deactivation", (c: { agent: Agent }) => server.context.dataSource.getRepository(Agent).update({ id: c.agent.id }, { active: false }).then(() => undefined)],
      ] as const) {
        it(`disconnects a supervisor's console after ${ending}: no more pops or figures`, async () => {
          const desk = await connected("supervisor");
          await end(desk as never);
          await server.realtime.checkSessions();
          expect(await desk.disconnected).to.equal("io server disconnect");
        });
      }

      it("keeps a console whose session is still valid, and moves a demoted supervisor out of the supervisors' room in place", async () => {
        const supervisor = await connected("supervisor");
        const agent = await connected("agent");
        await server.realtime.checkSessions();
        expect(supervisor.socket.connected && agent.socket.connected).to.equal(true);

        await server.context.dataSource.getRepository(Agent).update({ id: supervisor.agent.id }, { role: "agent" });
        await server.context.dataSource.getRepository(Agent).update({ id: agent.agent.id }, { role: "supervisor" });
        await server.realtime.checkSessions();
        expect(supervisor.socket.connected).to.equal(true);
        expect(await supervisor.socket.timeout(3000).emitWithAck("supervisor:sync")).to.equal(null);
        expect(await agent.socket.timeout(3000).emitWithAck("supervisor:sync")).to.have.property("queues");
        const rooms = (id: string) => [...server.realtime.io.sockets.sockets.get(id)!.rooms];
        expect(rooms(supervisor.socket.id!)).to.not.include("supervisors");
        expect(rooms(agent.socket.id!)).to.include("supervisors");
      });
    });

    for (const who of ["no login", "deactivated admin", "expired admin session", "made-up session"]) {
      for (const transport of ["websocket", "polling"] as const) {
        it(`refuses the handshake (${transport}) with ${who}`, async () => {
          const cookie = who === "made-up session" ? "sd_session=not-a-real-token" : cookies.get(who)!;
          const socket = connect(server.url, { forceNew: true, reconnection: false, transports: [transport], extraHeaders: cookie ? { cookie } : {} });
          try {
            const error = await new Promise<Error & { data?: unknown }>((resolve, reject) => {
              socket.once("connect", () => reject(new Error("connected without a valid session")));
              socket.once("connect_error", resolve);
            });
            expect(error.data).to.deep.equal({ id: "unauthorized" });
          } finally {
            socket.close();
          }
        });
      }
    }
  });
});
