import { expect } from "chai";
import type { DataSource } from "typeorm";
import { OutboxMessage, Ticket } from "../../entities/index.js";
import { leanInsertStatement } from "../../server/db/lean.js";
import { runTransaction } from "../../server/db/transaction-runner.js";
import { resetDatabase, testDataSource } from "../support/database.js";

/** runTransaction on both databases: on MariaDB START TRANSACTION rides on the first statement and the final writes on the COMMIT. */
describe("runTransaction", () => {
  let dataSource: DataSource;
  const ticket = (number: string) => ({ number, contactType: "question" as const, customerId: null, language: "nl" as const });
  const failureOf = (promise: Promise<unknown>) => promise.then(() => null, (error: unknown) => error as Error);
  const outboxRow = (manager = dataSource.manager, agentId = 1) => leanInsertStatement(manager, OutboxMessage, { topic: "agent.status", payload: { agentId }, publishedAt: null });

  beforeEach(async () => {
    dataSource = await testDataSource();
    await resetDatabase(dataSource);
  });

  it("commits the work with its final writes and hands each final INSERT its id", async () => {
    const ids: number[] = [];
    const result = await runTransaction(
      dataSource,
      async (manager) => (await manager.getRepository(Ticket).save(ticket("2026-000001"))).id,
      () => [1, 2].map((agentId) => ({ ...outboxRow(dataSource.manager, agentId), inserted: (id: number) => ids.push(id) })),
    );
    expect(await dataSource.getRepository(Ticket).existsBy({ id: result })).to.equal(true);
    const rows = await dataSource.getRepository(OutboxMessage).find({ order: { id: "ASC" } });
    expect(rows.map((row) => row.id)).to.deep.equal(ids);
    expect(rows.map((row) => row.payload)).to.deep.equal([{ agentId: 1 }, { agentId: 2 }]);
  });

  it("commits final writes alone when the work itself sent nothing", async () => {
    await runTransaction(dataSource, async () => "nothing read", () => [outboxRow()]);
    expect(await dataSource.getRepository(OutboxMessage).count()).to.equal(1);
    expect(await runTransaction(dataSource, async () => 42, () => [])).to.equal(42);
  });

  it("rolls the work back when a final write fails, and the connection goes back to the pool without a transaction", async () => {
    await dataSource.getRepository(Ticket).save(ticket("2026-000002"));
    const failing = runTransaction(
      dataSource,
      (manager) => manager.getRepository(Ticket).save(ticket("2026-000003")),
      () => [outboxRow(), leanInsertStatement(dataSource.manager, Ticket, ticket("2026-000002"))], // the number is taken
    );
    expect(await failureOf(failing)).to.be.instanceOf(Error);
    // More transactions than the pool has connections: had one been returned with the failed transaction still open,
    // the next START TRANSACTION on it would have committed that work implicitly.
    for (let i = 0; i < 25; i++) await runTransaction(dataSource, (manager) => manager.getRepository(Ticket).count(), () => []);
    expect(await dataSource.getRepository(Ticket).existsBy({ number: "2026-000003" })).to.equal(false);
    expect(await dataSource.getRepository(OutboxMessage).count()).to.equal(0);
  });

  it("rolls back TypeORM's own writes in the work when the work fails (they take part in the transaction)", async () => {
    const failing = runTransaction(
      dataSource,
      async (manager) => {
        await manager.getRepository(Ticket).save(ticket("2026-000004"));
        await manager.getRepository(Ticket).insert(ticket("2026-000005"));
        throw new Error("a rule was broken");
      },
      () => [outboxRow()],
    );
    expect((await failureOf(failing))?.message).to.equal("a rule was broken");
    expect(await dataSource.getRepository(Ticket).count()).to.equal(0);
    expect(await dataSource.getRepository(OutboxMessage).count()).to.equal(0);
  });

  it("rolls back when the very first statement fails, and the next transaction works", async () => {
    const failing = runTransaction(dataSource, (manager) => manager.query("SELECT no_such_column FROM tickets"), () => [outboxRow()]);
    expect(await failureOf(failing)).to.be.instanceOf(Error);
    await runTransaction(dataSource, (manager) => manager.getRepository(Ticket).save(ticket("2026-000006")), () => []);
    expect(await dataSource.getRepository(Ticket).count()).to.equal(1);
    expect(await dataSource.getRepository(OutboxMessage).count()).to.equal(0);
  });

  it("sees its own writes within the work, and a nested transaction takes part in it", async () => {
    const seen = await runTransaction(
      dataSource,
      async (manager) => {
        await manager.getRepository(Ticket).save(ticket("2026-000007"));
        await manager.transaction((nested) => nested.getRepository(Ticket).save(ticket("2026-000008")));
        return manager.getRepository(Ticket).count();
      },
      () => [],
    );
    expect(seen).to.equal(2);
    expect(await dataSource.getRepository(Ticket).count()).to.equal(2);
  });
});
