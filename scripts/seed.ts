// `npm run seed [-- --reset]`: loads the demo data (docs/demo-data.md) into the configured database,
// DATABASE_URL or the embedded SQLite file, after applying pending migrations.
import { parseEnvOrExit, sqlitePath } from "../server/config/env.js";
import { openDatabase } from "../server/db/data-source.js";
import { DemoDataPresentError } from "../server/errors/demo-data-present-error.js";
import { clearDatabase } from "../server/seed/clear-database.js";
import { loadDemoData } from "../server/seed/demo-data.js";

const reset = process.argv.includes("--reset");

const env = parseEnvOrExit();

const where = env.DATABASE_URL ? `MariaDB/MySQL ${redactPassword(env.DATABASE_URL)}` : `SQLite file ${sqlitePath(env)}`;
const dataSource = await openDatabase(env.DATABASE_URL ? { url: env.DATABASE_URL } : { sqliteFile: sqlitePath(env) });
try {
  if (reset) {
    await clearDatabase(dataSource);
    console.log(`Emptied every table of the ${where}.`);
  }
  const summary = await loadDemoData(dataSource, env);
  console.log(
    `Demo data loaded into the ${where}: ${summary.customers} customers, ${summary.campuses} campuses, ` +
      `${summary.referencePersons} reference persons, ${summary.products} products, ${summary.contracts} contracts, ${summary.agents} desk accounts.`,
  );
  console.log("Logins, phone numbers and PINs: docs/demo-data.md");
} catch (error) {
  if (!(error instanceof DemoDataPresentError)) throw error;
  console.error(`Nothing loaded into the ${where}. ${error.message}`);
  console.error("To throw that data away and load the demo data instead, run: npm run seed -- --reset");
  process.exitCode = 1;
} finally {
  await dataSource.destroy();
}

function redactPassword(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = "***";
  return parsed.toString();
}
