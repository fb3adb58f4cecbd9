import { parseEnvOrExit, sqlitePath } from "./config/env.js";
import { SHUTDOWN_GRACE_MS, startServer } from "./http-server.js";
import { CLOSE_GRACE_MS } from "./jobs/index.js";
import { createLogger } from "./logger.js";
import { exitAfterFailedStart, stopOnSignals } from "./process-signals.js";
import { createRuntime } from "./runtime.js";
import { isDatabaseEmpty, loadDemoData } from "./seed/demo-data.js";

// Entry point of `npm start`: validate config, connect, migrate, seed an empty embedded database, serve.
const env = parseEnvOrExit();
const logger = createLogger(env.LOG_LEVEL);
try {
  const runtime = await createRuntime(env, { logger });
  if (!env.DATABASE_URL && env.SEED_ON_EMPTY && (await isDatabaseEmpty(runtime.dataSource))) {
    await loadDemoData(runtime.dataSource, env);
    logger.info({ file: sqlitePath(env) }, "empty embedded database: demo data loaded (see README for logins)");
  }
  const server = await startServer(runtime);

  // Past requests' grace, active jobs' grace and a margin, something hangs.
  stopOnSignals(logger, "finishing requests in flight", SHUTDOWN_GRACE_MS + CLOSE_GRACE_MS + 10_000, async () => {
    await server.close();
    await runtime.close();
  });
  // Said only once the signal handlers are in place: whoever waits for this line may send SIGTERM right away.
  logger.info({ port: server.port, url: runtime.baseUrl, simulation: runtime.twilio.simulated }, "servicedesk listening");
} catch (error) {
  exitAfterFailedStart(logger, error, "start-up failed");
}
