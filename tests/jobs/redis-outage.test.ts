import { expect } from "chai";
import { IsNull } from "typeorm";
import { OutboxMessage } from "../../entities/OutboxMessage.js";
import { SmsMessage } from "../../entities/SmsMessage.js";
import { remoteSessionBooker } from "../../server/commands/remote-session-booker.js";
import { jobQueues } from "../../server/jobs/queues.js";
import { startTestServer, type TestServer } from "../support/app.js";
import { resetDatabase } from "../support/database.js";
import { createAgent, createCustomer, createPerson, createTicket, eventually, nextBusinessDayAt } from "./fixtures.js";
import { PrivateRedis } from "../support/private-redis.js";
import { freePort } from "../support/wait.js";

describe("jobs when Redis goes down and comes back", () => {
  let redis: PrivateRedis;
  let server: TestServer | undefined;

  beforeEach(async () => {
    // Not persistent: after the outage it comes back empty, and the outbox drainer must bring everything back.
    redis = new PrivateRedis(await freePort(), { persistent: false });
    await redis.start();
  });
  afterEach(async () => {
    if (!(await redis.ping())) await redis.start();
    await server?.close();
    server = undefined;
    await redis.destroy();
  });

  it("keeps events committed during the outage in the outbox and enqueues each exactly once when Redis is back", async function () {
    server = await startTestServer({ REDIS_URL: redis.url }, { workers: true });
    const ds = server.context.dataSource;
    await resetDatabase(ds);
    const { agent } = await createAgent(ds);
    const { customer } = await createCustomer(ds);
    const person = await createPerson(ds, customer.id, { language: "en" });
    const ticket = await createTicket(ds, { customerId: customer.id });
    const book = (hour: number) =>
      remoteSessionBooker(server!.context, { ticketId: ticket.id, personId: person.id, agentId: agent.id, scheduledAt: nextBusinessDayAt(server!.context.calendar, hour, 0), durationMinutes: 30 });
    const confirmations = () => ds.getRepository(SmsMessage).find({ where: { status: "sent" }, order: { id: "ASC" } });

    const before = await book(9);
    await eventually(async () => (await confirmations()).length === 1, 5000, "the confirmation before the outage");

    await redis.kill();
    const during = [];
    for (const hour of [10, 11, 12]) during.push(await book(hour)); // each commit succeeds; its enqueue does not
    await server.context.publisher.idle();
    const waiting = await ds.getRepository(OutboxMessage).findBy({ topic: "remote_session.changed", publishedAt: IsNull() });
    expect(waiting.map((row) => row.payload.sessionId)).to.deep.equal(during.map((session) => session.id));
    expect(waiting.every((row) => row.attempts >= 1 && row.lastError !== null)).to.equal(true);
    expect(await confirmations()).to.have.length(1);

    await redis.start(); // same port, empty: the drainer must bring everything back
    await eventually(async () => (await ds.getRepository(OutboxMessage).countBy({ publishedAt: IsNull() })) === 0, 15_000, "the outbox drained");
    await eventually(async () => (await confirmations()).length === 4, 10_000, "the confirmations after the outage");

    // The restarted Redis had lost the Job Schedulers of the scans: the workers put them back.
    await eventually(async () => (await jobQueues(server!.context).get("sla").getJobSchedulers()).length === 1, 5000, "the schedulers restored");

    // Delivered again (a second drainer, a retry): nothing is doubled.
    for (const row of waiting) {
      await ds.getRepository(OutboxMessage).update({ id: row.id }, { publishedAt: null });
    }
    await server.context.publisher.drain();
    await new Promise((resolve) => setTimeout(resolve, 500));
    const sent = await confirmations();
    expect(sent.map((sms) => sms.idempotencyKey).sort()).to.deep.equal([before, ...during].map((session) => `remote-session-${session.id}-r1-confirmed`).sort());
    expect(await ds.getRepository(SmsMessage).count()).to.equal(4);
  });
});
