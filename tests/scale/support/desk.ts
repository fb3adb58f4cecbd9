import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Redis } from "ioredis";
import type { DataSource } from "typeorm";
import type { Agent } from "../../../entities/Agent.js";
import type { Language } from "../../../entities/enums.js";
import type { ReferencePerson } from "../../../entities/ReferencePerson.js";
import { openDatabase } from "../../../server/db/data-source.js";
import { resetDatabase, testDatabaseKind, testDatabaseTarget, testDataSource } from "../../support/database.js";
import { fixtures } from "../../support/fixtures.js";
import { api, login } from "../../routes/console/helpers.js";

/** The database the app processes of a scale test share, and the test's own connection to it. */
export interface SharedDatabase {
  dataSource: DataSource;
  /** Settings that point an app process at it (DATABASE_URL, or DATA_DIR of the SQLite file). */
  env: Record<string, string>;
  /** The mysql:// URL (MariaDB only). */
  url?: string;
  close(): Promise<void>;
}

/**
 * MariaDB: the run's private database, emptied. SQLite: a fresh migrated file in a temporary DATA_DIR (the app
 * names its file DATA_DIR/servicedesk.sqlite), used by the processes and the test at once in WAL mode.
 */
export async function sharedDatabase(): Promise<SharedDatabase> {
  if (testDatabaseKind === "mysql") {
    const { url } = await testDatabaseTarget();
    const dataSource = await testDataSource();
    await resetDatabase(dataSource);
    return { dataSource, env: { DATABASE_URL: url! }, url, close: async () => undefined };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sd-scale-"));
  const dataSource = await openDatabase({ sqliteFile: path.join(dir, "servicedesk.sqlite") });
  return {
    dataSource,
    env: { DATA_DIR: dir },
    async close() {
      await dataSource.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

let phoneBase = Math.floor(Math.random() * 800_000);

/** Customer, contract and `count` reference persons, each on their own mobile number, speaking `language`. */
export async function callers(dataSource: DataSource, count: number, language: Language = "en"): Promise<{ person: ReferencePerson; phone: string }[]> {
  const make = fixtures(dataSource);
  const customer = await make.customer();
  const campus = await make.campus(customer);
  await make.contract(customer, [await make.product()], await make.slaPolicy());
  const made: { person: ReferencePerson; phone: string }[] = [];
  for (let i = 0; i < count; i++) {
    const phone = `+32479${String(++phoneBase).padStart(6, "0")}`;
    made.push({ person: await make.person(customer, { role: "campus", campus, phones: [phone], language }), phone });
  }
  return made;
}

/** An agent logged in on one instance and set available, from the desk's public origin (`deskUrl`, the balancer's); returns the session cookie. */
export async function availableAgent(dataSource: DataSource, instanceUrl: string, name: string, languages: Language[] = ["en"], deskUrl = instanceUrl): Promise<{ row: Agent; cookie: string }> {
  const row = await fixtures(dataSource).agent({ name, languages });
  const origin = new URL(deskUrl).origin;
  const cookie = await login(instanceUrl, row.email, undefined, origin);
  const status = await api(instanceUrl, cookie, "PUT", "/api/me/status", { status: "available" }, origin);
  if (status.status !== 200) throw new Error(`could not set ${name} available: ${status.status}`);
  return { row, cookie };
}

/** A Redis key prefix of its own for one group of instances. */
export function uniquePrefix(what: string): string {
  return `sdtest-scale-${what}-${process.pid}-${Date.now().toString(36)}`;
}

/** Deletes every key of a prefix (queues, offers, rate limits, the simulated Twilio log). */
export async function deleteKeys(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1, retryStrategy: () => null, lazyConnect: true });
  redis.on("error", () => undefined);
  try {
    await redis.connect();
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 500);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== "0");
  } catch {
    // Redis gone (a private server already stopped): nothing to clean.
  } finally {
    redis.disconnect();
  }
}
