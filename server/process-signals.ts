import type { Logger } from "./logger.js";
import { RedisUnavailableError } from "./redis/connection.js";

/**
 * Shuts the process down once on SIGTERM or SIGINT (a second signal while stopping changes nothing) and exits 0;
 * exits 1 when stopping takes longer than `deadlineMs`: something hangs, and lingering helps no one.
 */
export function stopOnSignals(logger: Logger, what: string, deadlineMs: number, shutdown: () => Promise<void>): void {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, `shutting down: ${what}`);
    const force = setTimeout(() => process.exit(1), deadlineMs);
    force.unref();
    await shutdown();
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}

/** Ends a start-up that failed: an unreachable Redis is said plainly (the message tells what to do), the rest logged. */
export function exitAfterFailedStart(logger: Logger, error: unknown, message: string): never {
  if (error instanceof RedisUnavailableError) console.error(error.message);
  else logger.fatal({ err: error }, message);
  process.exit(1);
}
