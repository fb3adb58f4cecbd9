import { parseEnvOrExit, sqlitePath } from "./config/env.js";
import { SHUTDOWN_GRACE_MS, startServer } from "./http-server.js";
import { CLOSE_GRACE_MS } from "./jobs/index.js";
import { createLogger } from "./logger.js";
import { RedisUnavailableError } from "./redis/connection.js";
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

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down: finishing requests in flight");
    // Past requests' grace, active jobs' grace and a margin, something hangs: exit rather than linger.
    const force = setTimeout(() => process.exit(1), SHUTDOWN_GRACE_MS + CLOSE_GRACE_MS + 10_000);
    force.unref();
    await server.close();
    await runtime.close();
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
  // Said only once the signal handlers are in place: whoever waits for this line may send SIGTERM right away.
  logger.info({ port: server.port, url: runtime.baseUrl, simulation: runtime.twilio.simulated }, "servicedesk listening");
} catch (error) {
  if (error instanceof RedisUnavailableError) {
    console.error(error.message);
    process.exit(1);
  }
  logger.fatal({ err: error }, "start-up failed");
  process.exit(1);
}
