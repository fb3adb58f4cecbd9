import type { DataSource, EntityManager, QueryRunner } from "typeorm";
import { QueryResult } from "typeorm/query-runner/QueryResult.js";
import { insertedId, type Statement } from "./lean.js";

/** A write left for the end of a transaction (see runTransaction); `inserted` receives the generated id of an INSERT. */
export interface FinalWrite extends Statement {
  inserted?: (id: number) => void;
}

/**
 * Runs `work` in one transaction, then the writes it left for the end (`finalWrites`, asked for once `work` is
 * done), then commits.
 *
 * On MariaDB every statement is a round trip that costs the app and the database more CPU than most statements
 * themselves, and a webhook's transaction is short: START TRANSACTION rides on its first statement, and the final
 * writes (events, outbox, the call's changed columns) ride on the COMMIT, in one multi-statement query. A webhook
 * that locked its call and wrote four rows is then two round trips instead of seven. SQLite runs in-process: the
 * writes run one by one before TypeORM commits.
 */
export async function runTransaction<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>, finalWrites: () => FinalWrite[]): Promise<T> {
  if (dataSource.options.type !== "mysql") {
    return dataSource.transaction(async (manager) => {
      const result = await work(manager);
      for (const write of finalWrites()) {
        const raw = await manager.query(write.sql, write.params);
        write.inserted?.(insertedId(raw));
      }
      return result;
    });
  }
  return runBatchedMariadbTransaction(dataSource, work, finalWrites);
}

type QueryFunction = (sql: string, params?: unknown[], structured?: boolean) => Promise<unknown>;

async function runBatchedMariadbTransaction<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>, finalWrites: () => FinalWrite[]): Promise<T> {
  const runner = dataSource.createQueryRunner("master");
  const sendQuery = runner.query.bind(runner) as QueryFunction;
  let opened = false;
  let finished = false;
  // Every statement of the transaction passes here (ours and TypeORM's own): the first carries START TRANSACTION.
  const firstCarriesStart: QueryFunction = async (sql, params, structured = false) => {
    if (opened) return sendQuery(sql, params, structured);
    opened = true;
    const [, raw] = (await sendQuery(`START TRANSACTION; ${sql}`, params)) as unknown[];
    return structured ? structuredResult(raw) : raw;
  };
  runner.query = firstCarriesStart as QueryRunner["query"];
  // TypeORM's own writes in `work` (save, insert) see the open transaction and open none of their own (a nested
  // manager.transaction takes a savepoint, as inside any transaction).
  setTransactionState(runner, true);
  try {
    const result = await work(runner.manager);
    const writes = finalWrites();
    if (!opened && writes.length === 0) return result; // nothing read, nothing written
    const statements = [...(opened ? [] : ["START TRANSACTION"]), ...writes.map((write) => write.sql), "COMMIT"];
    const skipped = opened ? 0 : 1;
    opened = true; // START may run and a later statement fail: the rollback below is then needed
    const raw = await sendQuery(statements.join("; "), writes.flatMap((write) => write.params));
    finished = true;
    const results = statements.length > 1 ? (raw as unknown[]) : [raw];
    writes.forEach((write, index) => write.inserted?.(insertedId(results[skipped + index])));
    return result;
  } catch (error) {
    // MariaDB stops a multi-statement query at its first failing statement: the COMMIT did not run.
    if (opened && !finished) await sendQuery("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    setTransactionState(runner, false);
    await runner.release();
  }
}

/** What TypeORM's query runner returns for `useStructuredResult`, built from one statement's raw result. */
function structuredResult(raw: unknown): QueryResult {
  const result = new QueryResult();
  result.raw = raw;
  result.records = Array.isArray(raw) ? Array.from(raw) : [];
  if (raw && typeof raw === "object" && "affectedRows" in raw) result.affected = Number(raw.affectedRows);
  return result;
}

function setTransactionState(runner: QueryRunner, active: boolean): void {
  (runner as { isTransactionActive: boolean }).isTransactionActive = active;
  (runner as unknown as { transactionDepth: number }).transactionDepth = active ? 1 : 0;
}
