import { expect } from "chai";
import type { DataSource } from "typeorm";
import { Agent } from "../../entities/index.js";
import { readOne, readTogether, type Read } from "../../server/db/reads.js";
import { availableAgentsRead } from "../../server/domain/offer-targets.js";
import { resetDatabase, testDataSource } from "../support/database.js";

/** readTogether on both databases: on MariaDB one multi-statement query, each read shaped from its own result. */
describe("readTogether", () => {
  let dataSource: DataSource;

  beforeEach(async () => {
    dataSource = await testDataSource();
    await resetDatabase(dataSource);
    await dataSource.getRepository(Agent).insert([
      { email: "a@care.test", name: "Ann", passwordHash: "x", role: "agent", languages: ["nl"], status: "available" },
      { email: "b@care.test", name: "Bert", passwordHash: "x", role: "agent", languages: ["fr"], status: "away" },
    ]);
  });

  const namesRead = (status: string): Read<string[]> => ({
    sql: "SELECT name FROM agents WHERE status = ? ORDER BY name",
    params: [status],
    shape: (rows) => rows.map((row) => String(row.name)),
  });

  it("gives each read its own rows, in order, with its own parameters", async () => {
    const [available, away, none, offered] = await readTogether(dataSource.manager, [namesRead("available"), namesRead("away"), namesRead("offline"), availableAgentsRead(dataSource.manager)] as const);
    expect(available).to.deep.equal(["Ann"]);
    expect(away).to.deep.equal(["Bert"]);
    expect(none).to.deep.equal([]);
    expect(offered.map((agent) => [agent.name, agent.languages])).to.deep.equal([["Ann", ["nl"]]]);
  });

  it("runs a single read, and an empty list of reads", async () => {
    expect(await readOne(dataSource.manager, namesRead("away"))).to.deep.equal(["Bert"]);
    expect(await readTogether(dataSource.manager, [] as const)).to.deep.equal([]);
  });

  it("fails as a whole when one read fails", async () => {
    const broken: Read<unknown> = { sql: "SELECT nothing FROM no_such_table", params: [], shape: (rows) => rows };
    const failure = await readTogether(dataSource.manager, [namesRead("available"), broken] as const).then(() => null, (error: unknown) => error as Error);
    expect(failure).to.be.instanceOf(Error);
    // The pool's connections are fine afterwards.
    for (let i = 0; i < 25; i++) expect(await readOne(dataSource.manager, namesRead("available"))).to.deep.equal(["Ann"]);
  });
});
