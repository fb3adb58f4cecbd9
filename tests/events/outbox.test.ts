import { expect } from "chai";
import { IsNull, type DataSource } from "typeorm";
import { OutboxMessage, Ticket, TicketEvent } from "../../entities/index.js";
import { inTransaction } from "../../server/commands/transaction.js";
import { OutboxPublisher, type OutboxProcessor } from "../../server/events/publisher.js";
import type { OutboxEnvelope } from "../../server/events/topics.js";
import { createLogger } from "../../server/logger.js";
import { resetDatabase, testDataSource } from "../support/database.js";

describe("the outbox", () => {
  let dataSource: DataSource;
  let publisher: OutboxPublisher;
  let delivered: OutboxEnvelope[];
  let failing: boolean;
  const processor: OutboxProcessor = {
    name: "recorder",
    topics: ["agent.status"],
    async handle(message) {
      if (failing) throw new Error("Redis is down");
      delivered.push(message);
    },
  };

  beforeEach(async () => {
    dataSource = await testDataSource();
    await resetDatabase(dataSource);
    publisher = new OutboxPublisher(dataSource, createLogger("silent"));
    publisher.register(processor);
    delivered = [];
    failing = false;
  });
  afterEach(() => publisher.stop());

  it("publishes a message only after its transaction commits", async () => {
    let seenInside = -1;
    await inTransaction({ dataSource, publisher }, async (tx) => {
      await tx.record("agent.status", { agentId: 7 });
      seenInside = delivered.length;
    });
    await publisher.idle();
    expect(seenInside).to.equal(0);
    expect(delivered.map((m) => m.payload)).to.deep.equal([{ agentId: 7 }]);
    const row = await dataSource.getRepository(OutboxMessage).findOneByOrFail({ topic: "agent.status" });
    expect(row.publishedAt).to.be.instanceOf(Date);
  });

  it("publishes nothing, and keeps nothing, when the transaction rolls back", async () => {
    await inTransaction({ dataSource, publisher }, async (tx) => {
      await tx.record("agent.status", { agentId: 8 });
      throw new Error("validation failed");
    }).catch(() => undefined);
    await publisher.idle();
    expect(delivered).to.deep.equal([]);
    expect(await dataSource.getRepository(OutboxMessage).count()).to.equal(0);
  });

  it("keeps a message whose processor failed and delivers it when the drainer runs again, without waiting for it to age", async () => {
    failing = true;
    await inTransaction({ dataSource, publisher }, (tx) => tx.record("agent.status", { agentId: 9 }));
    await publisher.idle();
    const kept = await dataSource.getRepository(OutboxMessage).findOneByOrFail({ topic: "agent.status" });
    expect(kept.publishedAt).to.equal(null);
    expect(kept.attempts).to.equal(1);
    expect(kept.lastError).to.match(/Redis is down/);

    failing = false;
    // Retried at once, though younger than the drainer's age limit for messages that may still be on their way.
    expect(await publisher.drain()).to.equal(1);
    expect(delivered.map((m) => m.id)).to.deep.equal([kept.id]);
    expect(await publisher.drain(0)).to.equal(0);
  });

  it("delivers identical messages of one batch once and marks them all published", async () => {
    await inTransaction({ dataSource, publisher }, async (tx) => {
      await tx.record("agent.status", { agentId: 5 });
      await tx.record("agent.status", { agentId: 5 });
      await tx.record("agent.status", { agentId: 6 });
    });
    await publisher.idle();
    expect(delivered.map((m) => m.payload)).to.have.deep.members([{ agentId: 5 }, { agentId: 6 }]);
    expect(await dataSource.getRepository(OutboxMessage).countBy({ publishedAt: IsNull() })).to.equal(0);
  });

  it("delivers a fresh message before the backlog the drainer found after an outage", async () => {
    failing = true;
    const BACKLOG = 40;
    await inTransaction({ dataSource, publisher }, async (tx) => {
      for (let agentId = 100; agentId < 100 + BACKLOG; agentId++) await tx.record("agent.status", { agentId });
    });
    await publisher.idle();
    failing = false;

    // Each delivery takes a while, as a pop does; the fresh message commits once the backlog is under way.
    let backlogStarted!: () => void;
    const started = new Promise<void>((resolve) => (backlogStarted = resolve));
    const slow = processor.handle;
    processor.handle = async (message) => {
      backlogStarted();
      await new Promise((resolve) => setTimeout(resolve, 20));
      await slow(message);
    };
    try {
      const draining = publisher.drain(0);
      await started;
      await inTransaction({ dataSource, publisher }, (tx) => tx.record("agent.status", { agentId: 1 }));
      expect(await draining).to.equal(BACKLOG);
      await publisher.idle();
    } finally {
      processor.handle = slow;
    }
    const order = delivered.map((message) => (message.payload as { agentId: number }).agentId);
    expect(order).to.have.length(BACKLOG + 1);
    // Taken at the next free delivery slot: behind at most the messages already being delivered and the slots' next ones.
    expect(order.indexOf(1)).to.be.lessThan(BACKLOG / 2);
  });

  it("writes a ticket event and its announcement together", async () => {
    const ticket = await dataSource.getRepository(Ticket).save({ number: "2026-000123", contactType: "question", customerId: null, language: "nl" });
    const event = await inTransaction({ dataSource, publisher }, (tx) => tx.ticketEvent(ticket.id, "note_added", { type: "agent", id: 4 }, { text: "called back" }));
    expect((await dataSource.getRepository(TicketEvent).findOneByOrFail({ id: event.id })).data).to.deep.equal({ text: "called back" });
    const message = await dataSource.getRepository(OutboxMessage).findOneByOrFail({ topic: "ticket.event" });
    expect(message.payload).to.deep.equal({ ticketId: ticket.id, eventId: event.id, type: "note_added" });
  });
});
