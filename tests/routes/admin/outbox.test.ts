import { expect } from "chai";
import { AuditEntry } from "../../../entities/AuditEntry.js";
import { OutboxMessage } from "../../../entities/OutboxMessage.js";
import type { TestServer } from "../../support/app.js";
import { loginAs, type AdminClient, startAdminSession } from "./helpers.js";

describe("admin API: outbox dead letters", () => {
  let server: TestServer;
  let admin: AdminClient;

  beforeEach(async () => {
    ({ server, admin } = await startAdminSession());
  });
  afterEach(async () => {
    await server.close();
  });

  const deadLetter = () =>
    server.context.dataSource.getRepository(OutboxMessage).save({
      topic: "voicemail.recorded",
      payload: { callId: 4, ticketId: null },
      publishedAt: null,
      attempts: 20,
      lastError: "jobs: Redis is down",
      deliveredTo: ["realtime"],
      deadAt: new Date(),
    });

  it("lists the dead letters with their failures for administrators, not for supervisors", async () => {
    const dead = await deadLetter();
    await server.context.dataSource.getRepository(OutboxMessage).save({ topic: "agent.status", payload: { agentId: 1 }, publishedAt: null, attempts: 2, lastError: "realtime: down" });
    const list = await admin.get("/outbox/dead-letters");
    expect(list.status).to.equal(200);
    expect(list.body.total).to.equal(1);
    expect(list.body.items[0]).to.deep.include({ id: dead.id, topic: "voicemail.recorded", attempts: 20, lastError: "jobs: Redis is down", deliveredTo: ["realtime"], payload: { callId: 4, ticketId: null } });
    expect((await admin.get("/outbox/dead-letters?q=redis")).body.total).to.equal(1);
    expect((await admin.get("/outbox/dead-letters?q=nothing-like-it")).body.total).to.equal(0);
    const supervisor = await loginAs(server, "supervisor");
    expect((await supervisor.get("/outbox/dead-letters")).status).to.equal(403);
  });

  it("retries a dead letter once, recording who did it", async () => {
    const dead = await deadLetter();
    const retried = await admin.post(`/outbox/dead-letters/${dead.id}/retry`);
    expect(retried.status).to.equal(200);
    expect(retried.body).to.deep.include({ id: dead.id, attempts: 0, deadAt: null, deliveredTo: ["realtime"] });
    const row = await server.context.dataSource.getRepository(OutboxMessage).findOneByOrFail({ id: dead.id });
    expect(row).to.deep.include({ deadAt: null, attempts: 0, nextAttemptAt: null });
    expect(await server.context.dataSource.getRepository(AuditEntry).findOneBy({ entityType: "outbox_message", entityId: String(dead.id), action: "retry", actorAgentId: admin.agent.id })).to.not.equal(null);

    expect((await admin.post(`/outbox/dead-letters/${dead.id}/retry`)).status).to.equal(409);
    expect((await admin.post("/outbox/dead-letters/999999/retry")).status).to.equal(404);
    expect((await admin.post("/outbox/dead-letters/abc/retry")).status).to.equal(400);
  });
});
