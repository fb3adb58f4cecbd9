import { randomBytes } from "node:crypto";
import http from "node:http";
import { expect } from "chai";
import twilio from "twilio";
import { openSession } from "../../server/auth/sessions.js";
import { startTestServer, TEST_AUTH_TOKEN, type TestServer } from "../support/app.js";
import { fixtures } from "../support/fixtures.js";
import { deskFetch } from "../support/desk-fetch.js";

let prefixCounter = 0;
/** A Redis prefix two test servers share (so they share their rate-limit counts), private to this test. */
const sharedPrefix = () => `sdtest-rl-${process.pid}-${Date.now().toString(36)}-${++prefixCounter}`;

/** GET with an optional cookie; the status and the error id of a JSON error. */
async function get(url: string, cookie?: string): Promise<{ status: number; errorId: string | null; retryAfter: string | null }> {
  const response = await fetch(url, { headers: cookie ? { cookie } : {} });
  const body = (await response.json().catch(() => null)) as { error?: { id: string } } | null;
  return { status: response.status, errorId: body?.error?.id ?? null, retryAfter: response.headers.get("retry-after") };
}

/**
 * A failed-or-not login POST with our own X-Forwarded-For, sent from a chosen loopback address (127.0.0.2 is a
 * different client than the test's usual 127.0.0.1): fetch cannot pick its source address, node:http can.
 */
function loginFrom(url: string, body: { email: string; password: string }, options: { from?: string; forwardedFor?: string } = {}): Promise<number> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const request = http.request(
      `${url}/api/auth/login`,
      {
        method: "POST",
        localAddress: options.from ?? "127.0.0.1",
        agent: false,
        headers: { "content-type": "application/json", "content-length": Buffer.byteLength(payload), origin: new URL(url).origin, ...(options.forwardedFor ? { "x-forwarded-for": options.forwardedFor } : {}) },
      },
      (response) => {
        response.resume();
        response.on("end", () => resolve(response.statusCode ?? 0));
      },
    );
    request.on("error", reject);
    request.end(payload);
  });
}

async function sessionCookie(server: TestServer, role: "agent" | "supervisor" | "admin" = "agent"): Promise<string> {
  const agent = await fixtures(server.context.dataSource).agent({ role });
  return `sd_session=${(await openSession(server.context.dataSource, agent.id, 1)).token}`;
}

describe("rate limits shared through Redis", () => {
  const servers: TestServer[] = [];
  const start = async (overrides: Record<string, string>) => {
    const server = await startTestServer(overrides);
    servers.push(server);
    return server;
  };
  afterEach(async () => {
    for (const server of servers.splice(0)) await server.close();
  });

  it("counts a session's /api requests across two instances: the limit is reached by the sum, answered 429 JSON with Retry-After", async () => {
    const prefix = sharedPrefix();
    const a = await start({ REDIS_PREFIX: prefix, API_RATE_LIMIT_PER_MINUTE: "10" });
    const b = await start({ REDIS_PREFIX: prefix, API_RATE_LIMIT_PER_MINUTE: "10" });
    const cookie = await sessionCookie(a);
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await get(`${(i % 2 ? b : a).url}/api/me`, cookie)).status);
    expect(statuses).to.deep.equal(Array(10).fill(200));

    for (const server of [a, b]) {
      const limited = await get(`${server.url}/api/me`, cookie);
      expect(limited).to.include({ status: 429, errorId: "rate_limited" });
      expect(Number(limited.retryAfter)).to.be.within(1, 60);
    }
    // Per session: a colleague behind the same address is not affected.
    expect((await get(`${b.url}/api/me`, await sessionCookie(a))).status).to.equal(200);
  });

  it("counts requests without a session per address, and the 401s of made-up session cookies as well", async () => {
    const prefix = sharedPrefix();
    const a = await start({ REDIS_PREFIX: prefix, API_RATE_LIMIT_PER_MINUTE: "5" });
    const b = await start({ REDIS_PREFIX: prefix, API_RATE_LIMIT_PER_MINUTE: "5" });
    const anonymous: number[] = [];
    for (let i = 0; i < 6; i++) anonymous.push((await get(`${(i % 2 ? b : a).url}/api/me`)).status);
    expect(anonymous).to.deep.equal([401, 401, 401, 401, 401, 429]);

    const prefix2 = sharedPrefix();
    const c = await start({ REDIS_PREFIX: prefix2, API_RATE_LIMIT_PER_MINUTE: "5" });
    const d = await start({ REDIS_PREFIX: prefix2, API_RATE_LIMIT_PER_MINUTE: "5" });
    const madeUp: number[] = [];
    for (let i = 0; i < 6; i++) madeUp.push((await get(`${(i % 2 ? d : c).url}/api/me`, `sd_session=${randomBytes(32).toString("base64url")}`)).status);
    expect(madeUp).to.deep.equal([401, 401, 401, 401, 401, 429]);
  });

  it("does not count real sessions' answered requests against their shared address", async () => {
    const server = await start({ API_RATE_LIMIT_PER_MINUTE: "5" });
    const statuses: number[] = [];
    for (const cookie of [await sessionCookie(server), await sessionCookie(server)]) {
      for (let i = 0; i < 4; i++) statuses.push((await get(`${server.url}/api/me`, cookie)).status);
    }
    expect(statuses).to.deep.equal(Array(8).fill(200));
  });

  it("never limits Twilio webhooks, signed or not", async () => {
    const server = await start({ API_RATE_LIMIT_PER_MINUTE: "3" });
    const url = `${server.url}/twilio/status`;
    const statuses = new Set<number>();
    for (let i = 0; i < 20; i++) {
      const params = { CallSid: `CA${randomBytes(16).toString("hex")}`, CallStatus: "completed", CallDuration: "3" };
      const signature = twilio.getExpectedTwilioSignature(TEST_AUTH_TOKEN, url, params);
      for (const headers of [{ "x-twilio-signature": signature }, {}] as Record<string, string>[]) {
        const response = await fetch(url, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", ...headers }, body: new URLSearchParams(params) });
        statuses.add(response.status);
      }
    }
    expect([...statuses].sort()).to.deep.equal([200, 403]);
  });

  it("lets /api requests through while Redis is down and counts again once it is back", async () => {
    const server = await start({ API_RATE_LIMIT_PER_MINUTE: "3" });
    const cookie = await sessionCookie(server);
    server.context.rateLimitRedis.disconnect();
    const during: number[] = [];
    for (let i = 0; i < 5; i++) during.push((await get(`${server.url}/api/me`, cookie)).status);
    expect(during).to.deep.equal(Array(5).fill(200));

    await server.context.rateLimitRedis.connect();
    const after: number[] = [];
    for (let i = 0; i < 4; i++) after.push((await get(`${server.url}/api/me`, cookie)).status);
    expect(after).to.deep.equal([200, 200, 200, 429]);
  });

  it("keeps logins working when Redis is down at the first login, and limits them again once it is back", async function () {
    this.timeout(30_000);
    const server = await start({});
    const agent = await fixtures(server.context.dataSource).agent();
    const login = async (password: string) =>
      (await deskFetch(`${server.url}/api/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: agent.email, password }) })).status;
    server.context.rateLimitRedis.disconnect();
    expect(await login("correct horse battery")).to.equal(200);
    expect(await login("wrong password")).to.equal(401);

    await server.context.rateLimitRedis.connect();
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push(await login("wrong password"));
    expect(statuses).to.deep.equal([...Array(10).fill(401), 429]);
  });

  it("ignores a client's X-Forwarded-For by default: a new forged address per attempt is still locked out, and forging the victim's address does not lock the victim", async function () {
    this.timeout(60_000);
    const server = await start({});
    const agent = await fixtures(server.context.dataSource).agent();
    const attempts: number[] = [];
    for (let i = 0; i < 60; i++) {
      attempts.push(await loginFrom(server.url, { email: agent.email, password: "wrong password" }, { from: "127.0.0.2", forwardedFor: `198.51.100.${i + 1}` }));
    }
    expect(attempts).to.deep.equal([...Array(10).fill(401), ...Array(50).fill(429)]);
    // The same attacker claims to be the agent's own address: still counted against 127.0.0.2.
    expect(await loginFrom(server.url, { email: agent.email, password: "wrong password" }, { from: "127.0.0.2", forwardedFor: "127.0.0.1" })).to.equal(429);
    expect(await loginFrom(server.url, { email: agent.email, password: "correct horse battery" }, { from: "127.0.0.1" })).to.equal(200);

    // Other e-mails from one address: the per-address limit (50 failures) holds whatever X-Forwarded-For says.
    const other = await start({});
    const spread: number[] = [];
    for (let i = 0; i < 55; i++) {
      spread.push(await loginFrom(other.url, { email: `nobody-${i}@example.be`, password: "wrong password" }, { from: "127.0.0.2", forwardedFor: `203.0.113.${i + 1}` }));
    }
    expect(spread).to.deep.equal([...Array(50).fill(401), ...Array(5).fill(429)]);
  });

  it("counts the forwarded address with TRUST_PROXY=1: clients behind one proxy are limited each on their own", async function () {
    this.timeout(30_000);
    const server = await start({ TRUST_PROXY: "1" });
    const agent = await fixtures(server.context.dataSource).agent();
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push(await loginFrom(server.url, { email: agent.email, password: "wrong password" }, { forwardedFor: "198.51.100.7" }));
    expect(statuses).to.deep.equal([...Array(10).fill(401), 429]);
    // Another client behind the same proxy, and the proxy's own address, are not locked.
    expect(await loginFrom(server.url, { email: agent.email, password: "correct horse battery" }, { forwardedFor: "198.51.100.8" })).to.equal(200);
    expect(await loginFrom(server.url, { email: agent.email, password: "correct horse battery" })).to.equal(200);
  });

  it("shares the failed-login count of one address and e-mail between instances (C's login limiter)", async function () {
    this.timeout(30_000);
    const prefix = sharedPrefix();
    const a = await start({ REDIS_PREFIX: prefix });
    const b = await start({ REDIS_PREFIX: prefix });
    const agent = await fixtures(a.context.dataSource).agent();
    const login = async (server: TestServer, password: string) =>
      (await deskFetch(`${server.url}/api/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: agent.email, password }) })).status;
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push(await login(i % 2 ? b : a, "wrong password"));
    expect(statuses).to.deep.equal(Array(10).fill(401));
    expect(await login(b, "wrong password")).to.equal(429);
    expect(await login(a, "correct horse battery")).to.equal(429);
  });
});
