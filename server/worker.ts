import http from "node:http";
import { parseEnvOrExit } from "./config/env.js";
import { CLOSE_GRACE_MS, jobsProcessor, startWorkers } from "./jobs/index.js";
import { createLogger } from "./logger.js";
import { attachRealtime } from "./realtime/index.js";
import { exitAfterFailedStart, stopOnSignals } from "./process-signals.js";
import { createRuntime } from "./runtime.js";

// Entry point of `npm run worker`: the BullMQ workers alone, for scaling out (run the web with RUN_WORKERS=false).
const env = parseEnvOrExit();
const logger = createLogger(env.LOG_LEVEL);

try {
  const runtime = await createRuntime(env, { logger });
  // Jobs commit outbox messages too (notices, alerts): this process publishes them to the consoles through
  // the Socket.IO Redis adapter (an unlistened server is enough to emit) and enqueues the jobs they cause.
  const realtime = attachRealtime(http.createServer(), runtime);
  runtime.publisher.register(realtime.processor);
  runtime.publisher.register(jobsProcessor(runtime));
  runtime.publisher.startDraining();
  const workers = await startWorkers(runtime);

  // Active jobs get CLOSE_GRACE_MS to finish before they are handed back to other workers.
  stopOnSignals(logger, "letting active jobs finish", CLOSE_GRACE_MS + 10_000, async () => {
    await workers.close();
    await runtime.publisher.stop();
    await realtime.close();
    await runtime.close();
  });
  // Said only once the signal handlers are in place: whoever waits for this line may send SIGTERM right away.
  logger.info({ prefix: env.REDIS_PREFIX, simulation: runtime.twilio.simulated }, "workers running");
} catch (error) {
  exitAfterFailedStart(logger, error, "worker start-up failed");
}
