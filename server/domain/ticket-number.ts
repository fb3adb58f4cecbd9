import { createPool, type Pool, type ResultSetHeader } from "mysql2/promise";
import type { DataSource, EntityManager } from "typeorm";
import { TicketSequence } from "../../entities/TicketSequence.js";

/** Formats a ticket number: year and a six-digit sequence, e.g. 2026-000123. */
export function formatTicketNumber(year: number, sequence: number): string {
  return `${year}-${String(sequence).padStart(6, "0")}`;
}

async function increment(manager: EntityManager, year: number): Promise<number> {
  const column = manager.connection.driver.escape("lastValue");
  const result = await manager
    .createQueryBuilder()
    .update(TicketSequence)
    .set({ lastValue: () => `${column} + 1` })
    .where({ year })
    .execute();
  return result.affected ?? 0;
}

/**
 * Takes the next ticket number of the year. The year's first ticket creates the row.
 *
 * MariaDB: in a one-statement transaction of its own, on a small pool of its own. Taken inside the caller's
 * transaction, the year's row stayed locked until that transaction committed, so every ticket of the desk
 * waited for the one before it to finish its whole webhook: under load that queue, not the work, set the
 * pace. Numbers stay unique and increasing; a transaction that rolls back after taking one leaves a gap,
 * as a database sequence does. (A pool of its own, because a transaction holding a pool connection must
 * never wait for a second connection of the same pool.)
 *
 * SQLite has one writer at a time anyway: the number is taken inside the caller's transaction.
 */
export async function nextTicketNumber(manager: EntityManager, year: number): Promise<string> {
  if (manager.connection.options.type === "mysql") return formatTicketNumber(year, await takeOnOwnConnection(manager.connection, year));
  if ((await increment(manager, year)) === 0) {
    await manager.createQueryBuilder().insert().into(TicketSequence).values({ year, lastValue: 0 }).orIgnore().execute();
    await increment(manager, year);
  }
  const row = await manager.getRepository(TicketSequence).findOneByOrFail({ year });
  return formatTicketNumber(year, row.lastValue);
}

const numberPools = new WeakMap<DataSource, Pool>();

/** The pool numbers are taken on, closed with its DataSource. */
function numberPool(dataSource: DataSource): Pool {
  const existing = numberPools.get(dataSource);
  if (existing) return existing;
  const pool = createPool({ uri: (dataSource.options as { url?: string }).url, connectionLimit: 2, timezone: "Z" });
  numberPools.set(dataSource, pool);
  const destroy = dataSource.destroy.bind(dataSource);
  dataSource.destroy = async () => {
    numberPools.delete(dataSource);
    await pool.end().catch(() => undefined);
    return destroy();
  };
  return pool;
}

/** UPDATE … LAST_INSERT_ID(n + 1) increments and reports the new value in one statement (autocommit). */
async function takeOnOwnConnection(dataSource: DataSource, year: number): Promise<number> {
  const pool = numberPool(dataSource);
  const table = dataSource.getMetadata(TicketSequence).tableName;
  for (let attempt = 0; attempt < 2; attempt++) {
    const [result] = await pool.query<ResultSetHeader>(`UPDATE \`${table}\` SET \`lastValue\` = LAST_INSERT_ID(\`lastValue\` + 1) WHERE \`year\` = ?`, [year]);
    if (result.affectedRows === 1) return result.insertId;
    await pool.query(`INSERT IGNORE INTO \`${table}\` (\`year\`, \`lastValue\`) VALUES (?, 0)`, [year]);
  }
  throw new Error(`no ticket sequence row for ${year}`);
}
