import type { Redis } from "ioredis";
import type { DataSource } from "typeorm";
import { isSimulation, publicBaseUrl, sqlitePath, type Env } from "./config/env.js";
import type { AppContext } from "./context.js";
import { openDatabase } from "./db/data-source.js";
import { BusinessCalendar } from "./domain/business-hours.js";
import { OutboxPublisher } from "./events/publisher.js";
import { createLogger, type Logger } from "./logger.js";
import { createRateLimitRedis, createRedis, ensureRedis } from "./redis/connection.js";
import { LiveTwilioClient } from "./twilio/live-client.js";
import { SimulatedTwilioClient } from "./twilio/simulated-client.js";

export interface RuntimeOptions {
  /** Use this DataSource instead of opening DATABASE_URL (tests share one per run). */
  dataSource?: DataSource;
  logger?: Logger;
}

/** Resolves once the connection is ready, or after `ms` whatever its state (it keeps reconnecting on its own). */
async function readyOrTimeout(redis: Redis, ms: number): Promise<void> {
  if (redis.status === "ready") return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    redis.once("ready", () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** Connects database and Redis and assembles the context; close() releases both. */
export async function createRuntime(env: Env, options: RuntimeOptions = {}): Promise<AppContext & { close(): Promise<void> }> {
  const logger = options.logger ?? createLogger(env.LOG_LEVEL);
  const redisUrl = await ensureRedis(env, logger);
  const dataSource = options.dataSource ?? (await openDatabase(env.DATABASE_URL ? { url: env.DATABASE_URL } : { sqliteFile: sqlitePath(env) }));
  const redis = createRedis(redisUrl);
  const rateLimitRedis = createRateLimitRedis(redisUrl, `${env.REDIS_PREFIX}:rate-limit`);
  // Without an offline queue a command before the connection is up would be refused, so the first requests would
  // pass uncounted: start once it is ready (Redis answered ensureRedis a moment ago; an outage now only delays start-up).
  await readyOrTimeout(rateLimitRedis, 3000);
  const publisher = new OutboxPublisher(dataSource, logger);
  const twilio = isSimulation(env)
    ? new SimulatedTwilioClient(redis, env.REDIS_PREFIX)
    : new LiveTwilioClient(env.TWILIO_ACCOUNT_SID!, env.TWILIO_AUTH_TOKEN);
  return {
    env,
    logger,
    dataSource,
    redis,
    rateLimitRedis,
    redisUrl,
    publisher,
    twilio,
    baseUrl: publicBaseUrl(env),
    calendar: BusinessCalendar.fromEnv(env),
    async close() {
      await publisher.stop();
      redis.disconnect();
      rateLimitRedis.disconnect();
      if (!options.dataSource) await dataSource.destroy();
    },
  };
}
