import { Redis } from "ioredis";
import { parseEnv, SIMULATION_AUTH_TOKEN } from "../../server/config/env.js";
import type { AppContext } from "../../server/context.js";
import { startServer, type RunningServer } from "../../server/http-server.js";
import type { QueueName } from "../../server/jobs/queues.js";
import { createLogger } from "../../server/logger.js";
import { createRuntime } from "../../server/runtime.js";
import { testDataSource } from "./database.js";

let serverCounter = 0;

/** The token test servers sign with: simulation's own, so the phone simulator (/sim) runs as in a simulation deployment. */
export const TEST_AUTH_TOKEN = SIMULATION_AUTH_TOKEN;
/** A "real" account's token for the live-mode test servers (live mode refuses the simulation token). */
export const LIVE_TEST_AUTH_TOKEN = "live-test-auth-token-0123456789";

export interface TestServer extends RunningServer {
  context: AppContext;
  /** Stops the server, releases Redis and deletes this server's Redis keys. */
  close(): Promise<void>;
}

/**
 * Starts the real app on a free port against this run's test database and the real Redis, with a Redis
 * prefix of its own. PUBLIC_BASE_URL becomes the server's own URL so webhook signatures verify.
 */
export async function startTestServer(overrides: Record<string, string> = {}, options: { workers?: boolean | readonly QueueName[] } = {}): Promise<TestServer> {
  const prefix = overrides.REDIS_PREFIX ?? `sdtest-${process.pid}-${++serverCounter}`;
  const env = parseEnv({
    NODE_ENV: "test",
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent",
    REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
    REDIS_AUTOSTART: "false",
    TWILIO_AUTH_TOKEN: TEST_AUTH_TOKEN,
    SEED_ON_EMPTY: "false",
    // Live mode refuses demo numbers and a non-https base URL; the app still answers on its own test URL below.
    ...(overrides.TWILIO_ACCOUNT_SID ? { TWILIO_AUTH_TOKEN: LIVE_TEST_AUTH_TOKEN, PUBLIC_BASE_URL: "https://desk.test.invalid", DESK_PHONE_NUMBER: "+3233000000", SMS_FROM_NUMBER: "+3233000001" } : {}),
    ...overrides,
    REDIS_PREFIX: prefix,
  });
  const dataSource = await testDataSource();
  const runtime = await createRuntime(env, { dataSource, logger: createLogger(env.LOG_LEVEL) });
  const server = await startServer(runtime, { port: 0, workers: options.workers ?? false });
  runtime.baseUrl = overrides.PUBLIC_BASE_URL ?? server.url;
  return {
    ...server,
    context: runtime,
    async close() {
      await server.close();
      await runtime.close();
      const cleaner = new Redis(runtime.redisUrl);
      const keys = await cleaner.keys(`${prefix}*`);
      if (keys.length > 0) await cleaner.del(...keys);
      cleaner.disconnect();
    },
  };
}
