import "reflect-metadata";
import fs from "node:fs";
import mysql2 from "mysql2";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { DataSource, type DataSourceOptions } from "typeorm";
import { allEntities } from "../../entities/index.js";

type DatabaseKind = "mysql" | "better-sqlite3";

export interface DatabaseTarget {
  /** mysql:// URL; when absent, the SQLite file below is used. */
  url?: string;
  /** SQLite file path (or ":memory:"). */
  sqliteFile?: string;
}

const migrationsFolder = (kind: DatabaseKind) =>
  fileURLToPath(new URL(`./migrations/${kind === "mysql" ? "mysql" : "sqlite"}/*.js`, import.meta.url));

/** DataSource options for MariaDB/MySQL or the embedded SQLite file; schema comes from migrations only. */
export function dataSourceOptions(target: DatabaseTarget): DataSourceOptions {
  const common = { entities: allEntities, synchronize: false, logging: false as const, migrationsTableName: "migrations" };
  if (target.url) {
    // mysql://user@localhost/db?socketPath=/run/mysqld/mysqld.sock talks over the Unix socket: on the database's
    // own machine each query costs noticeably less CPU than over loopback TCP.
    const socketPath = new URL(target.url).searchParams.get("socketPath") ?? undefined;
    reusePromiseWrappers();
    return {
      ...common,
      type: "mysql",
      url: target.url,
      ...(socketPath ? { socketPath } : {}),
      timezone: "Z",
      charset: "utf8mb4_unicode_ci",
      poolSize: 20,
      // mysql2 otherwise captures a stack trace for every query (for async stack traces of failed queries); the
      // error itself still carries the SQL and the code. On the hot path that capture was ~4% of the CPU.
      trace: false,
      // runTransaction sends START TRANSACTION with a transaction's first statement and its last writes with the
      // COMMIT. Every statement of the app goes through TypeORM or lean.ts with bound parameters, never with
      // values spliced into its text, so allowing several statements per query widens no injection.
      multipleStatements: true,
      migrations: [migrationsFolder("mysql")],
    };
  }
  const file = target.sqliteFile ?? "./data/servicedesk.sqlite";
  if (file !== ":memory:") fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  return {
    ...common,
    type: "better-sqlite3",
    database: file,
    // WAL lets readers run while one writer commits; busy timeout waits instead of failing on a lock.
    prepareDatabase: (db: { pragma(sql: string): unknown }) => {
      db.pragma("journal_mode = WAL");
      db.pragma("busy_timeout = 5000");
      db.pragma("foreign_keys = ON");
    },
    migrations: [migrationsFolder("better-sqlite3")],
  };
}

/**
 * SQLite has one connection per DataSource and cannot nest transactions: queue them so concurrent
 * commands (two webhooks at once) wait their turn instead of failing. MariaDB uses its pool.
 */
export function queueSqliteTransactions(dataSource: DataSource): DataSource {
  if (dataSource.options.type !== "better-sqlite3") return dataSource;
  const manager = dataSource.manager;
  const original = manager.transaction.bind(manager) as (...args: unknown[]) => Promise<unknown>;
  let tail: Promise<unknown> = Promise.resolve();
  (manager as { transaction: unknown }).transaction = (...args: unknown[]) => {
    const run = tail.then(() => {
      beginImmediately(dataSource);
      return original(...args);
    });
    tail = run.catch(() => undefined);
    return run;
  };
  return dataSource;
}

/**
 * Makes the driver's one query runner open transactions with BEGIN IMMEDIATE: the write lock is taken at BEGIN
 * (waiting up to busy_timeout). A deferred transaction that read first fails at its first write when another
 * process (a second instance, `npm run worker`) wrote meanwhile — SQLITE_BUSY or SQLITE_BUSY_SNAPSHOT at once,
 * which busy_timeout does not cure — and the caller would hear the IVR's apology instead of a ticket number.
 */
function beginImmediately(dataSource: DataSource): void {
  const runner = dataSource.driver.createQueryRunner("master") as unknown as { query(sql: string, ...rest: unknown[]): Promise<unknown>; beginsImmediately?: true };
  if (runner.beginsImmediately) return;
  const query = runner.query.bind(runner);
  runner.query = (sql: string, ...rest: unknown[]) => query(sql === "BEGIN TRANSACTION" ? "BEGIN IMMEDIATE TRANSACTION" : sql, ...rest);
  runner.beginsImmediately = true;
}

/**
 * TypeORM runs every MariaDB query through `poolConnection.promise().query(…)`, and mysql2's `promise()` calls
 * `require()` and builds a new wrapper (an EventEmitter with two listeners) each time: about 2% of the app's CPU under
 * the benchmark's load went to resolving that module. The wrapper holds no state of its own besides the event
 * forwarding, so each pooled connection keeps the first one it got.
 */
function reusePromiseWrappers(): void {
  const prototype = (mysql2 as unknown as { PoolConnection: { prototype: { promise(promiseImpl?: unknown): unknown; promiseWrapperReused?: true } } }).PoolConnection.prototype;
  if (prototype.promiseWrapperReused) return;
  const wrap = prototype.promise;
  const wrappers = new WeakMap<object, unknown>();
  prototype.promise = function (this: object, promiseImpl?: unknown) {
    if (promiseImpl !== undefined) return wrap.call(this, promiseImpl);
    let wrapper = wrappers.get(this);
    if (!wrapper) wrappers.set(this, (wrapper = wrap.call(this)));
    return wrapper;
  };
  prototype.promiseWrapperReused = true;
}

/** Connects and applies pending migrations. */
export async function openDatabase(target: DatabaseTarget): Promise<DataSource> {
  const dataSource = queueSqliteTransactions(new DataSource(dataSourceOptions(target)));
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: "each" });
  return dataSource;
}
