import type { DataSource } from "typeorm";
import { isSimulation, publicBaseUrl, sqlitePath, type Env } from "./config/env.js";
import type { AppContext } from "./context.js";
import { openDatabase } from "./db/data-source.js";
import { BusinessCalendar } from "./domain/business-hours.js";
import { OutboxPublisher } from "./events/publisher.js";
import { createLogger, type Logger } from "./logger.js";
import { createRedis, ensureRedis } from "./redis/connection.js";
import { LiveTwilioClient } from "./twilio/live-client.js";
import { SimulatedTwilioClient } from "./twilio/simulated-client.js";

export interface RuntimeOptions {
  /** Use this DataSource instead of opening DATABASE_URL (tests share one per run). */
  dataSource?: DataSource;
  logger?: Logger;
}

/** Connects database and Redis and assembles the context; close() releases both. */
export async function createRuntime(env: Env, options: RuntimeOptions = {}): Promise<AppContext & { close(): Promise<void> }> {
  const logger = options.logger ?? createLogger(env.LOG_LEVEL);
  const redisUrl = await ensureRedis(env, logger);
  const dataSource = options.dataSource ?? (await openDatabase(env.DATABASE_URL ? { url: env.DATABASE_URL } : { sqliteFile: sqlitePath(env) }));
  const redis = createRedis(redisUrl);
  const publisher = new OutboxPublisher(dataSource, logger);
  const twilio = isSimulation(env)
    ? new SimulatedTwilioClient(redis, env.REDIS_PREFIX)
    : new LiveTwilioClient(env.TWILIO_ACCOUNT_SID!, env.TWILIO_AUTH_TOKEN);
  return {
    env,
    logger,
    dataSource,
    redis,
    redisUrl,
    publisher,
    twilio,
    baseUrl: publicBaseUrl(env),
    calendar: BusinessCalendar.fromEnv(env),
    async close() {
      await publisher.stop();
      redis.disconnect();
      if (!options.dataSource) await dataSource.destroy();
    },
  };
}
