// Runs the mocha suite against SQLite, then against MariaDB (TEST_DATABASE_URL, default the local MariaDB).
// When MariaDB cannot be reached the run says so loudly; under CI=true that is a failure.
import { spawnSync } from "node:child_process";
import { createConnection } from "mysql2/promise";

const mysqlUrl = process.env.TEST_DATABASE_URL ?? "mysql://root@127.0.0.1:3306/test";
const extraArgs = process.argv.slice(2);

async function mysqlReachable(): Promise<string | null> {
  try {
    const url = new URL(mysqlUrl);
    const connection = await createConnection({ host: url.hostname, port: Number(url.port || 3306), user: decodeURIComponent(url.username), password: decodeURIComponent(url.password), connectTimeout: 3000 });
    await connection.end();
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

function runMocha(database: "sqlite" | "mysql"): number {
  console.log(`\n=== Test suite against ${database === "mysql" ? `MariaDB (${mysqlUrl})` : "SQLite"} ===\n`);
  const result = spawnSync(process.execPath, ["node_modules/mocha/bin/mocha.js", ...extraArgs], {
    stdio: "inherit",
    env: { ...process.env, TEST_DB: database, TEST_DATABASE_URL: mysqlUrl, NODE_ENV: "test" },
  });
  return result.status ?? 1;
}

const only = process.env.TEST_ONLY_DB as "sqlite" | "mysql" | undefined;
let failed = false;
if (only !== "mysql") failed = runMocha("sqlite") !== 0 || failed;
if (only !== "sqlite") {
  const problem = await mysqlReachable();
  if (problem) {
    const banner = "!".repeat(78);
    console.error(`\n${banner}\n!! MariaDB at ${mysqlUrl} is NOT reachable: ${problem}\n!! The MariaDB half of the suite did NOT run.\n${banner}\n`);
    if (process.env.CI === "true") failed = true;
  } else {
    failed = runMocha("mysql") !== 0 || failed;
  }
}
process.exit(failed ? 1 : 0);
