import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { DataSource } from "typeorm";
import { createConnection } from "mysql2/promise";
import { clearDatabase } from "../../server/seed/clear-database.js";
import { dataSourceOptions, queueSqliteTransactions } from "../../server/db/data-source.js";

/** Which database this mocha run uses: TEST_DB=sqlite or TEST_DB=mysql (set by scripts/test-both-databases). */
export const testDatabaseKind: "sqlite" | "mysql" = process.env.TEST_DB === "mysql" ? "mysql" : "sqlite";

export const testDatabaseBaseUrl = process.env.TEST_DATABASE_URL ?? "mysql://root@127.0.0.1:3306/test";

let shared: Promise<{ dataSource: DataSource; url?: string; sqliteFile?: string }> | undefined;

/** Where this run's database lives: a mysql URL of a private database, or a private SQLite file. */
export async function testDatabaseTarget(): Promise<{ url?: string; sqliteFile?: string }> {
  const { url, sqliteFile } = await openShared();
  return url ? { url } : { sqliteFile };
}

/** The run's migrated DataSource, created once per mocha process (a private database, dropped at exit). */
export async function testDataSource(): Promise<DataSource> {
  return (await openShared()).dataSource;
}

function openShared() {
  shared ??= (async () => {
    const name = `sd_test_${process.pid}_${Date.now().toString(36)}`;
    if (testDatabaseKind === "mysql") {
      const base = new URL(testDatabaseBaseUrl);
      const admin = await createConnection({ host: base.hostname, port: Number(base.port || 3306), user: decodeURIComponent(base.username), password: decodeURIComponent(base.password) });
      await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
      await admin.end();
      base.pathname = `/${name}`;
      const url = base.toString();
      const dataSource = new DataSource(dataSourceOptions({ url }));
      await dataSource.initialize();
      await dataSource.runMigrations({ transaction: "each" });
      return { dataSource, url };
    }
    const sqliteFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "sd-test-")), `${name}.sqlite`);
    const dataSource = queueSqliteTransactions(new DataSource(dataSourceOptions({ sqliteFile })));
    await dataSource.initialize();
    await dataSource.runMigrations({ transaction: "each" });
    return { dataSource, sqliteFile };
  })();
  return shared;
}

/** Drops the private database; called once by the root hook after all tests. */
export async function dropTestDatabase(): Promise<void> {
  if (!shared) return;
  const { dataSource, url, sqliteFile } = await shared;
  shared = undefined;
  if (url) await dataSource.query(`DROP DATABASE \`${new URL(url).pathname.slice(1)}\``);
  await dataSource.destroy();
  if (sqliteFile) fs.rmSync(path.dirname(sqliteFile), { recursive: true, force: true });
}

/** Empties every table (keeps the schema and the migrations record). */
export async function resetDatabase(dataSource: DataSource): Promise<void> {
  await clearDatabase(dataSource);
}
