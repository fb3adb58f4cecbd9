import { expect } from "chai";
import { DataSource, IsNull, Not } from "typeorm";
import { OutboxMessage, Ticket, TicketEvent } from "../../entities/index.js";
import { deadLetterRetrier } from "../../server/commands/admin/outbox-dead-letters.js";
import { inTransaction } from "../../server/commands/transaction.js";
import { dataSourceOptions } from "../../server/db/data-source.js";
import { OutboxPublisher, type OutboxProcessor, type RelayOptions } from "../../server/events/publisher.js";
import type { OutboxEnvelope } from "../../server/events/topics.js";
import { createLogger } from "../../server/logger.js";
import { resetDatabase, testDatabaseTarget, testDataSource } from "../support/database.js";
import { waitFor } from "../support/wait.js";

/** Short back-off, so that a test sees a message through all its attempts. */
const QUICK_RETRY: RelayOptions["retry"] = { firstDelayMs: 40, maxDelayMs: 160, maxAttempts: 4 };

/** Rows as a crash leaves them: committed, never delivered, no lease held (or the one given). */
async function leftBehind(dataSource: DataSource, count: number, lease: { leasedUntil: Date | null; leaseOwner: string | null } = { leasedUntil: null, leaseOwner: null }): Promise<number[]> {
  const ids: number[] = [];
  for (let agentId = 0; agentId < count; agentId++) {
    const { identifiers } = await dataSource.getRepository(OutboxMessage).insert({ topic: "agent.status", payload: { agentId: 1000 + ids.length }, publishedAt: null, ...lease });
    ids.push(identifiers[0]!.id as number);
  }
  return ids;
}

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
    publisher = new OutboxPublisher(dataSource, createLogger("silent"), { retry: QUICK_RETRY });
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
    expect(row.leasedUntil).to.equal(null);
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

  it("writes a message leased to its writer, so that no other relay takes it while the writer delivers it", async () => {
    const other = new OutboxPublisher(dataSource, createLogger("silent"));
    other.register({ ...processor, name: "other" });
    let claimedByOther = -1;
    const slow: OutboxProcessor = {
      name: "slow",
      topics: "*",
      async handle() {
        claimedByOther = await other.drain();
      },
    };
    publisher.register(slow);
    await inTransaction({ dataSource, publisher }, (tx) => tx.record("agent.status", { agentId: 3 }));
    await publisher.idle();
    expect(claimedByOther).to.equal(0);
    expect(delivered).to.have.length(1);
    const row = await dataSource.getRepository(OutboxMessage).findOneByOrFail({ topic: "agent.status" });
    expect(row.publishedAt).to.be.instanceOf(Date);
    expect(row.leasedUntil).to.equal(null);
    await other.stop();
  });

  it("keeps a message whose processor failed, backs off, and delivers it when a claim finds it due", async () => {
    failing = true;
    const before = Date.now();
    await inTransaction({ dataSource, publisher }, (tx) => tx.record("agent.status", { agentId: 9 }));
    await publisher.idle();
    const kept = await dataSource.getRepository(OutboxMessage).findOneByOrFail({ topic: "agent.status" });
    expect(kept.publishedAt).to.equal(null);
    expect(kept.attempts).to.equal(1);
    expect(kept.lastError).to.match(/recorder: Redis is down/);
    expect(kept.leasedUntil).to.equal(null);
    expect(kept.nextAttemptAt!.getTime()).to.be.within(before + QUICK_RETRY!.firstDelayMs! - 5, Date.now() + QUICK_RETRY!.firstDelayMs!);

    failing = false;
    expect(await publisher.drain()).to.equal(0); // backing off
    await waitFor(async () => (await publisher.drain()) === 1, 2000, "the retry after the back-off");
    expect(delivered.map((m) => m.id)).to.deep.equal([kept.id]);
    expect(await publisher.drain()).to.equal(0);
    expect((await dataSource.getRepository(OutboxMessage).findOneByOrFail({ id: kept.id })).publishedAt).to.be.instanceOf(Date);
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

  it("delivers a fresh message before the backlog a claim found after an outage", async () => {
    const BACKLOG = 40;
    await leftBehind(dataSource, BACKLOG);

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
      const draining = publisher.drain();
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

  describe("a failing processor", () => {
    it("backs off exponentially and ends in the dead letter, while the other processor gets the message once", async () => {
      const failedAt: number[] = [];
      publisher.register({
        name: "flaky",
        topics: ["agent.status"],
        async handle() {
          failedAt.push(Date.now());
          throw new Error("SMS provider unreachable");
        },
      });
      await inTransaction({ dataSource, publisher }, (tx) => tx.record("agent.status", { agentId: 11 }));
      await publisher.idle();
      const repository = dataSource.getRepository(OutboxMessage);
      const first = await repository.findOneByOrFail({ topic: "agent.status" });
      expect(first).to.deep.include({ attempts: 1, deliveredTo: ["recorder"], deadAt: null, publishedAt: null });

      const dead = await waitFor(
        async () => {
          await publisher.drain();
          return repository.findOneBy({ id: first.id, deadAt: Not(IsNull()) });
        },
        5000,
        "the dead letter",
        10,
      );
      expect(dead).to.deep.include({ attempts: QUICK_RETRY!.maxAttempts, nextAttemptAt: null, leasedUntil: null, publishedAt: null, deliveredTo: ["recorder"] });
      expect(dead.lastError).to.equal("flaky: SMS provider unreachable");
      expect(failedAt).to.have.length(QUICK_RETRY!.maxAttempts!);
      // 40, 80, 160 ms apart at least (the policy's doubling, capped at 160).
      const gaps = failedAt.slice(1).map((at, index) => at - failedAt[index]!);
      gaps.forEach((gap, index) => expect(gap, `gap ${index + 1}`).to.be.at.least(Math.min(40 * 2 ** index, 160) - 5));
      expect(delivered.map((m) => m.id)).to.deep.equal([first.id]);

      // Dead: no relay takes it again.
      expect(await publisher.drain()).to.equal(0);
      expect(failedAt).to.have.length(QUICK_RETRY!.maxAttempts!);
    });

    it("gets a retried dead letter, and only that processor", async () => {
      let flakyUp = false;
      const flakyGot: number[] = [];
      publisher.register({
        name: "flaky",
        topics: "*",
        async handle(message) {
          if (!flakyUp) throw new Error("down");
          flakyGot.push(message.id);
        },
      });
      const [id] = await leftBehind(dataSource, 1);
      await dataSource.getRepository(OutboxMessage).update({ id }, { attempts: 4, deliveredTo: ["recorder"], deadAt: new Date(), lastError: "flaky: down" });
      expect(await publisher.drain()).to.equal(0);

      flakyUp = true;
      const retried = await deadLetterRetrier({ dataSource, publisher }, { actorId: 1, id: id! });
      expect(retried).to.deep.include({ deadAt: null, attempts: 0 });
      expect(await publisher.drain()).to.equal(1);
      expect(flakyGot).to.deep.equal([id]);
      expect(delivered).to.deep.equal([]);
      expect((await dataSource.getRepository(OutboxMessage).findOneByOrFail({ id })).publishedAt).to.be.instanceOf(Date);
    });
  });

  describe("with several relays on one database", () => {
    let second: DataSource;
    beforeEach(async () => {
      // MariaDB: a second connection pool (a second instance, the worker), as in production. SQLite: the same
      // connection (its synchronous busy wait would block the one event loop that the other connection needs).
      if (dataSource.options.type === "better-sqlite3") {
        second = dataSource;
        return;
      }
      second = new DataSource(dataSourceOptions(await testDatabaseTarget()));
      await second.initialize();
    });
    afterEach(async () => {
      if (second !== dataSource) await second.destroy();
    });

    it("never delivers a message twice: each claims rows the other does not hold", async () => {
      const deliveries: { relay: string; id: number }[] = [];
      const relays = ["a", "b"].map((name, index) => {
        const relay = new OutboxPublisher(index === 0 ? dataSource : second, createLogger("silent"), { claimBatch: 25, id: `relay-${name}` });
        relay.register({
          name: "recorder",
          topics: "*",
          async handle(message) {
            deliveries.push({ relay: name, id: message.id });
            await new Promise((resolve) => setTimeout(resolve, 2));
          },
        });
        return relay;
      });
      await leftBehind(dataSource, 200);
      // Both claim as fast as they can, while relay a's own webhooks commit fresh messages.
      const drainUntilEmpty = async (relay: OutboxPublisher) => {
        while ((await relay.drain()) > 0);
      };
      const writing = (async () => {
        for (let agentId = 0; agentId < 30; agentId++) await inTransaction({ dataSource, publisher: relays[0]! }, (tx) => tx.record("agent.status", { agentId: 5000 + agentId }));
      })();
      await Promise.all([drainUntilEmpty(relays[0]!), drainUntilEmpty(relays[1]!), writing]);
      await Promise.all(relays.map((relay) => relay.idle()));
      await Promise.all(relays.map((relay) => relay.stop()));

      const all = await dataSource.getRepository(OutboxMessage).find({ order: { id: "ASC" } });
      expect(all).to.have.length(230);
      expect(all.filter((row) => row.publishedAt === null)).to.deep.equal([]);
      const deliveredIds = deliveries.map((delivery) => delivery.id).sort((x, y) => x - y);
      expect(deliveredIds).to.deep.equal(all.map((row) => row.id));
      for (const name of ["a", "b"]) expect(deliveries.some((delivery) => delivery.relay === name), `relay ${name} delivered some`).to.equal(true);
    });

    it("resumes, after a relay stopped mid-delivery, the rows whose lease ran out, and not before", async () => {
      let hungStarted!: () => void;
      const started = new Promise<void>((resolve) => (hungStarted = resolve));
      // A relay that claimed and then hung (or crashed): its deliveries never finish.
      const hung = new OutboxPublisher(second, createLogger("silent"), { leaseMs: 4000, id: "hung-relay" });
      hung.register({ name: "recorder", topics: "*", handle: () => (hungStarted(), new Promise<never>(() => undefined)) });
      const ids = await leftBehind(dataSource, 5);
      void hung.drain();
      await started;
      const held = await dataSource.getRepository(OutboxMessage).findBy({ leaseOwner: "hung-relay" });
      expect(held.map((row) => row.id).sort()).to.deep.equal([...ids].sort());
      expect(await publisher.drain()).to.equal(0);

      // The lease runs out (here: is made to), as it does 30 s after a claim, or WRITER_LEASE_MS after a crashed writer's commit.
      await dataSource.getRepository(OutboxMessage).update({ leaseOwner: "hung-relay" }, { leasedUntil: new Date(Date.now() - 1) });
      expect(await publisher.drain()).to.equal(5);
      expect(delivered.map((message) => message.id).sort()).to.deep.equal([...ids].sort());
      expect(await dataSource.getRepository(OutboxMessage).countBy({ publishedAt: IsNull() })).to.equal(0);
    });
  });
});
