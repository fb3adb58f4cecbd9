import { expect } from "chai";
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { DataSource } from "typeorm";
import { resetDatabase, testDatabaseTarget, testDataSource } from "../support/database.js";

const seedScript = fileURLToPath(new URL("../../scripts/seed.js", import.meta.url));

function runSeed(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [seedScript, ...args], { env, timeout: 20_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe("npm run seed (scripts/seed.ts)", () => {
  let dataSource: DataSource;
  let dataDir: string;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    dataSource = await testDataSource();
    await resetDatabase(dataSource);
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "sd-seed-"));
    const { url } = await testDatabaseTarget();
    env = { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: "silent" };
    // Against MariaDB the script loads into this run's private database; otherwise into a fresh SQLite file.
    if (url) env.DATABASE_URL = url;
    else delete env.DATABASE_URL;
  });
  after(async () => {
    fs.rmSync(dataDir, { recursive: true, force: true });
    await resetDatabase(dataSource);
  });

  it("migrates and loads the demo data into an empty database", async () => {
    const result = await runSeed([], env);
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stdout).to.match(/Demo data loaded into the .*4 customers/);
  });

  it("refuses a second load with a message that names --reset", async () => {
    const result = await runSeed([], env);
    expect(result.code).to.equal(1);
    expect(result.stderr).to.include("already holds data").and.to.include("--reset");
  });

  it("empties the tables and loads again with --reset", async () => {
    const result = await runSeed(["--reset"], env);
    expect(result.code, result.stderr).to.equal(0);
    expect(result.stdout).to.include("Emptied every table").and.to.include("Demo data loaded");
  });
});
