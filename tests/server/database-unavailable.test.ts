import fs from "node:fs";
import { expect } from "chai";
import { QueryFailedError } from "typeorm";
import { openSession } from "../../server/auth/sessions.js";
import { parseEnv } from "../../server/config/env.js";
import { isDatabaseUnavailable } from "../../server/errors/handler.js";
import { startServer, type RunningServer } from "../../server/http-server.js";
import { createLogger } from "../../server/logger.js";
import { createRuntime } from "../../server/runtime.js";
import { TcpProxy } from "../scale/support/tcp-proxy.js";
import { TEST_AUTH_TOKEN } from "../support/app.js";
import { testDatabaseKind, testDatabaseTarget, testDataSource } from "../support/database.js";
import { fixtures } from "../support/fixtures.js";
import { freePort } from "../support/wait.js";

describe("the API while the database is unavailable", () => {
  it("recognises the drivers' connection errors, not a wrong query", async () => {
    // A real better-sqlite3 SQLITE_BUSY: a second connection writes while the first holds the write lock. (The
    // package has no type declarations; this is the part of its API used here.)
    const moduleName = "better-sqlite3";
    const Database = (await import(moduleName)).default as new (file: string, options?: { timeout?: number }) => { exec(sql: string): void; close(): void };
    const file = `/tmp/sd-busy-${process.pid}-${Date.now()}.sqlite`;
    const holder = new Database(file);
    const other = new Database(file, { timeout: 0 });
    holder.exec("CREATE TABLE t (x INTEGER)");
    holder.exec("BEGIN IMMEDIATE");
    let busy: unknown;
    try {
      other.exec("INSERT INTO t VALUES (1)");
    } catch (error) {
      busy = error;
    }
    holder.exec("ROLLBACK");
    holder.close();
    other.close();
    fs.rmSync(file, { force: true });
    expect(isDatabaseUnavailable(busy)).to.equal(true);
    expect(isDatabaseUnavailable(new QueryFailedError("INSERT", [], busy as Error))).to.equal(true);

    // A wrong query is our bug (500), whichever database.
    const wrong = await (await testDataSource()).query("SELECT * FROM no_such_table_here").catch((error: unknown) => error);
    expect(wrong).to.be.instanceOf(QueryFailedError);
    expect(isDatabaseUnavailable(wrong)).to.equal(false);
    expect(isDatabaseUnavailable(new Error("boom"))).to.equal(false);
  });

  describe("MariaDB that goes away (MariaDB only: an embedded SQLite file cannot become unreachable)", function () {
    this.timeout(60_000);
    let proxy: TcpProxy;
    let runtime: Awaited<ReturnType<typeof createRuntime>>;
    let server: RunningServer;
    let cookie: string;

    before(async function () {
      if (testDatabaseKind !== "mysql") return this.skip();
      const url = new URL((await testDatabaseTarget()).url!);
      proxy = await new TcpProxy({ host: url.hostname, port: Number(url.port || 3306) }).start(await freePort());
      url.host = `127.0.0.1:${proxy.port}`;
      const env = parseEnv({
        NODE_ENV: "test",
        LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent",
        REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
        REDIS_AUTOSTART: "false",
        REDIS_PREFIX: `sdtest-dbdown-${process.pid}`,
        TWILIO_AUTH_TOKEN: TEST_AUTH_TOKEN,
        SEED_ON_EMPTY: "false",
        DATABASE_URL: url.toString(),
      });
      runtime = await createRuntime(env, { logger: createLogger(env.LOG_LEVEL) });
      server = await startServer(runtime, { port: 0, workers: false });
      const agent = await fixtures(await testDataSource()).agent();
      cookie = `sd_session=${(await openSession(await testDataSource(), agent.id, 1)).token}`;
    });
    after(async () => {
      await proxy?.restore();
      await server?.close();
      await runtime?.close();
      await proxy?.close();
    });

    it("answers 503 with Retry-After (not 500) while MariaDB refuses, and 200 again once it is back", async () => {
      expect((await fetch(`${server.url}/api/me`, { headers: { cookie } })).status).to.equal(200);
      await proxy.refuse();
      for (let i = 0; i < 3; i++) {
        const response = await fetch(`${server.url}/api/me`, { headers: { cookie } });
        expect(response.status).to.equal(503);
        expect(response.headers.get("retry-after")).to.equal("10");
        expect(((await response.json()) as { error: { id: string } }).error.id).to.equal("database_unavailable");
      }
      await proxy.restore();
      let status = 0;
      for (let i = 0; i < 20 && status !== 200; i++) {
        status = (await fetch(`${server.url}/api/me`, { headers: { cookie } })).status;
        if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 250));
      }
      expect(status).to.equal(200);
    });
  });
});
