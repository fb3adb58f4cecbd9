import { expect } from "chai";
import { AgentSession } from "../../../entities/AgentSession.js";
import { Agent } from "../../../entities/Agent.js";
import { startTestServer, type TestServer } from "../../support/app.js";
import { resetDatabase } from "../../support/database.js";
import { fixtures } from "../../support/fixtures.js";
import { api, login } from "./helpers.js";
import { deskFetch } from "../../support/desk-fetch.js";

describe("console API: accounts and access", () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await startTestServer();
    await resetDatabase(server.context.dataSource);
  });
  afterEach(async () => {
    await server.close();
  });

  it("logs an agent in with an httpOnly, SameSite=Lax session cookie and answers /api/me", async () => {
    const agent = await fixtures(server.context.dataSource).agent({ name: "Els", languages: ["nl", "fr"] });
    const response = await deskFetch(`${server.url}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: agent.email.toUpperCase(), password: "correct horse battery" }),
    });
    expect(response.status).to.equal(200);
    const cookie = response.headers.getSetCookie().find((line) => line.startsWith("sd_session="))!;
    expect(cookie).to.match(/HttpOnly/i).and.match(/SameSite=Lax/i).and.not.match(/Secure/i);
    const me = await api(server.url, cookie.split(";")[0]!, "GET", "/api/me");
    expect(me.status).to.equal(200);
    expect(me.body.agent).to.include({ id: agent.id, name: "Els", role: "agent" });
    expect(me.body.agent).not.to.have.property("passwordHash");
  });

  it("marks the cookie Secure when the public URL is https", async () => {
    await server.close();
    server = await startTestServer({ PUBLIC_BASE_URL: "https://desk.example.be" });
    const agent = await fixtures(server.context.dataSource).agent();
    const response = await deskFetch(`${server.url}/api/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: agent.email, password: "correct horse battery" }) }, "https://desk.example.be");
    expect(response.headers.getSetCookie().join("\n")).to.match(/sd_session=[^;]+;.*Secure/i);
  });

  it("refuses a wrong password with a clear message and sets no cookie", async () => {
    const agent = await fixtures(server.context.dataSource).agent();
    const response = await deskFetch(`${server.url}/api/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: agent.email, password: "wrong" }) });
    expect(response.status).to.equal(401);
    expect(await response.json()).to.deep.equal({ error: { id: "wrong_credentials", message: "Wrong e-mail address or password." } });
    expect(response.headers.getSetCookie()).to.have.length(0);
    expect(await server.context.dataSource.getRepository(AgentSession).count()).to.equal(0);
  });

  it("answers an unknown address exactly like a wrong password", async () => {
    const response = await api(server.url, null, "POST", "/api/auth/login", { email: "nobody@care.test", password: "whatever" });
    expect(response.status).to.equal(401);
    expect(response.body.error.id).to.equal("wrong_credentials");
  });

  it("refuses a deactivated account", async () => {
    const agent = await fixtures(server.context.dataSource).agent();
    await server.context.dataSource.getRepository(Agent).update({ id: agent.id }, { active: false });
    const response = await api(server.url, null, "POST", "/api/auth/login", { email: agent.email, password: "correct horse battery" });
    expect(response.status).to.equal(401);
  });

  it("names the missing field when the login body is incomplete", async () => {
    const response = await api(server.url, null, "POST", "/api/auth/login", { email: "x@care.test" });
    expect(response.status).to.equal(400);
    expect(response.body.error.field).to.equal("password");
  });

  it("rate-limits failed logins through Redis with a clear 429 message", async () => {
    const agent = await fixtures(server.context.dataSource).agent();
    for (let attempt = 0; attempt < 10; attempt++) {
      expect((await api(server.url, null, "POST", "/api/auth/login", { email: agent.email, password: `wrong-${attempt}` })).status).to.equal(401);
    }
    const limited = await api(server.url, null, "POST", "/api/auth/login", { email: agent.email, password: "correct horse battery" });
    expect(limited.status).to.equal(429);
    expect(limited.body.error).to.deep.equal({ id: "rate_limited", message: "Too many failed login attempts: wait 15 minutes and try again." });
    const keys = await server.context.redis.keys(`${server.context.env.REDIS_PREFIX}:rate-limit:*`);
    expect(keys).not.to.be.empty;
  });

  it("treats an expired session as logged out", async () => {
    const agent = await fixtures(server.context.dataSource).agent();
    const cookie = await login(server.url, agent.email);
    await server.context.dataSource.getRepository(AgentSession).update({ agentId: agent.id }, { expiresAt: new Date(Date.now() - 1000) });
    const response = await api(server.url, cookie, "GET", "/api/me");
    expect(response.status).to.equal(401);
    expect(response.body.error).to.deep.equal({ id: "unauthorized", message: "Your session has expired or you are not logged in." });
  });

  it("logs out: the session is closed, the cookie cleared and the agent goes offline", async () => {
    const agent = await fixtures(server.context.dataSource).agent();
    const cookie = await login(server.url, agent.email);
    await api(server.url, cookie, "PUT", "/api/me/status", { status: "available" });
    const response = await deskFetch(`${server.url}/api/auth/logout`, { method: "POST", headers: { cookie } });
    expect(response.status).to.equal(204);
    expect(response.headers.getSetCookie().join("\n")).to.match(/sd_session=;/);
    expect((await api(server.url, cookie, "GET", "/api/me")).status).to.equal(401);
    expect((await server.context.dataSource.getRepository(Agent).findOneByOrFail({ id: agent.id })).status).to.equal("offline");
  });

  it("asks for a login on every console route without a session", async () => {
    for (const [method, path] of [["GET", "/api/me"], ["GET", "/api/tickets"], ["POST", "/api/calls/1/accept"], ["GET", "/api/supervisor/metrics"], ["GET", "/api/customers?q=ab"]] as const) {
      const response = await api(server.url, null, method, path);
      expect(response.status, `${method} ${path}`).to.equal(401);
    }
  });

  it("keeps supervisor routes for supervisors and administrators", async () => {
    const make = fixtures(server.context.dataSource);
    const agent = await make.agent({ role: "agent" });
    const supervisor = await make.agent({ role: "supervisor" });
    const admin = await make.agent({ role: "admin" });
    const asAgent = await api(server.url, await login(server.url, agent.email), "GET", "/api/supervisor/metrics");
    expect(asAgent.status).to.equal(403);
    expect(asAgent.body.error.message).to.equal("This needs the role supervisor or admin.");
    expect((await api(server.url, await login(server.url, agent.email), "GET", "/api/on-site-requests")).status).to.equal(403);
    expect((await api(server.url, await login(server.url, supervisor.email), "GET", "/api/supervisor/metrics")).status).to.equal(200);
    expect((await api(server.url, await login(server.url, admin.email), "GET", "/api/supervisor/metrics")).status).to.equal(200);
  });

  it("lets an agent set their own status but not 'on call', which only accepting a call sets", async () => {
    const agent = await fixtures(server.context.dataSource).agent();
    const cookie = await login(server.url, agent.email);
    const available = await api(server.url, cookie, "PUT", "/api/me/status", { status: "available" });
    expect(available.status).to.equal(200);
    expect(available.body.agent.status).to.equal("available");
    const onCall = await api(server.url, cookie, "PUT", "/api/me/status", { status: "on_call" });
    expect(onCall.status).to.equal(400);
    expect(onCall.body.error.field).to.equal("status");
  });

  it("stores the console language the agent chooses", async () => {
    const agent = await fixtures(server.context.dataSource).agent();
    const cookie = await login(server.url, agent.email);
    expect((await api(server.url, cookie, "PATCH", "/api/me", { uiLanguage: "fr" })).body.agent.uiLanguage).to.equal("fr");
    expect((await api(server.url, cookie, "PATCH", "/api/me", { uiLanguage: "de" })).status).to.equal(400);
    expect((await api(server.url, cookie, "GET", "/api/me")).body.agent.uiLanguage).to.equal("fr");
  });
});
