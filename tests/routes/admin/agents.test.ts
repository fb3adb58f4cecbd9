import { expect } from "chai";
import { Agent } from "../../../entities/Agent.js";
import { AgentSession } from "../../../entities/AgentSession.js";
import { verifyPassword } from "../../../server/auth/passwords.js";
import type { TestServer } from "../../support/app.js";
import { call, loginAs, type AdminClient, startAdminSession } from "./helpers.js";

describe("admin API: agents", () => {
  let server: TestServer;
  let admin: AdminClient;

  beforeEach(async () => {
    ({ server, admin } = await startAdminSession());
  });
  afterEach(async () => {
    await server.close();
  });

  const body = { email: "Sofie@Care.be", name: "Sofie", role: "agent", languages: ["nl", "fr"], password: "a long enough password" };

  it("creates an account with a hashed password and never returns the hash", async () => {
    const created = await admin.post("/agents", { ...body, phoneNumber: "03 123 45 67" });
    expect(created.status).to.equal(201);
    expect(created.body).to.deep.include({ email: "sofie@care.be", role: "agent", languages: ["nl", "fr"], phoneNumber: "+3231234567", active: true });
    expect(JSON.stringify(created.body)).not.to.match(/password|scrypt/i);
    const stored = await server.context.dataSource.getRepository(Agent).findOneByOrFail({ id: created.body.id });
    expect(await verifyPassword("a long enough password", stored.passwordHash)).to.equal(true);
    const list = await admin.get("/agents?q=sofie");
    expect(JSON.stringify(list.body)).not.to.match(/passwordHash|scrypt/);
    expect((await admin.post("/agents", { ...body, email: "SOFIE@care.be" })).status).to.equal(409);
  });

  it("validates role, languages and password length, naming the fields", async () => {
    const answer = await admin.post("/agents", { ...body, role: "boss", languages: [], password: "short" });
    expect(answer.status).to.equal(400);
    expect(answer.body.error.fields.map((f: { field: string }) => f.field)).to.have.members(["role", "languages", "password"]);
  });

  it("refuses a short or easily guessed password on create and on reset (400 naming password), and stores nothing", async () => {
    const target = await loginAs(server, "agent");
    for (const password of ["aaaaaaaaaa", "aaaaaaaaaaaa", "password1234", "sofie1234567", "Sofie@Care.be1", "wachtwoord12345"]) {
      const created = await admin.post("/agents", { ...body, password });
      expect(created.status, password).to.equal(400);
      expect(created.body.error, password).to.include({ id: "validation_failed", field: "password" });
      expect(created.body.error.message, password).to.match(/^Invalid password: (must be at least 12 characters|is too easy to guess)/);
      if (/sofie/i.test(password)) continue; // Sofie's own name and e-mail: weak for her account, not for another's
      const reset = await admin.put(`/agents/${target.agent.id}/password`, { password });
      expect(reset.status, password).to.equal(400);
      expect(reset.body.error.field, password).to.equal("password");
    }
    expect(await server.context.dataSource.getRepository(Agent).countBy({ email: "sofie@care.be" })).to.equal(0);
    // The account's own name does not make a password: "Test agent <n>" is its name.
    const own = await admin.put(`/agents/${target.agent.id}/password`, { password: `${target.agent.email}!` });
    expect(own.status).to.equal(400);
    expect((await call(server.url, "GET", "/customers", { cookie: target.cookie })).status, "the session survives a refused reset").to.not.equal(401);
  });

  it("resets a password, ending the account's sessions", async () => {
    const agent = await loginAs(server, "agent");
    expect((await admin.put(`/agents/${agent.agent.id}/password`, { password: "another long password" })).status).to.equal(204);
    const stored = await server.context.dataSource.getRepository(Agent).findOneByOrFail({ id: agent.agent.id });
    expect(await verifyPassword("another long password", stored.passwordHash)).to.equal(true);
    expect(await server.context.dataSource.getRepository(AgentSession).countBy({ agentId: agent.agent.id })).to.equal(0);
    expect((await call(server.url, "GET", "/customers", { cookie: agent.cookie })).status).to.equal(401);
  });

  it("changes role and languages, and keeps at least one active administrator", async () => {
    const sofie = (await admin.post("/agents", body)).body;
    const promoted = await admin.patch(`/agents/${sofie.id}`, { role: "supervisor", languages: ["en"] });
    expect(promoted.body).to.deep.include({ role: "supervisor", languages: ["en"] });
    const demoteSelf = await admin.patch(`/agents/${admin.agent.id}`, { role: "agent" });
    expect(demoteSelf.status).to.equal(409);
    expect(demoteSelf.body.error.id).to.equal("last_admin");
    expect((await admin.patch(`/agents/${admin.agent.id}`, { active: false })).status).to.equal(409);
    expect((await admin.del(`/agents/${admin.agent.id}`)).status).to.equal(409);
    expect((await admin.del(`/agents/${sofie.id}`)).status).to.equal(204);
  });

  it("deactivating an account logs it out", async () => {
    const agent = await loginAs(server, "supervisor");
    expect((await call(server.url, "GET", "/customers", { cookie: agent.cookie })).status).to.equal(200);
    expect((await admin.patch(`/agents/${agent.agent.id}`, { active: false })).body.active).to.equal(false);
    expect((await call(server.url, "GET", "/customers", { cookie: agent.cookie })).status).to.equal(401);
  });
});
