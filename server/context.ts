import type { Redis } from "ioredis";
import type { DataSource } from "typeorm";
import type { CommandContext } from "./commands/transaction.js";
import type { BusinessCalendar } from "./domain/business-hours.js";
import type { Env } from "./config/env.js";
import type { OutboxPublisher } from "./events/publisher.js";
import type { Logger } from "./logger.js";
import type { TwilioRestClient } from "./twilio/client.js";

/** Everything a route, command, job or socket handler may use; built once per process by createRuntime. */
export interface AppContext extends CommandContext {
  env: Env;
  logger: Logger;
  dataSource: DataSource;
  /** Shared connection for commands, rate limits, sessions. */
  redis: Redis;
  /** The rate limits' connection: fails fast (no offline queue, command timeout) so a Redis outage costs requests no time. */
  rateLimitRedis: Redis;
  /** URL that answered at start-up (REDIS_URL or the private redis-server). */
  redisUrl: string;
  publisher: OutboxPublisher;
  twilio: TwilioRestClient;
  /** The desk's opening hours and holidays (SLA clocks, IVR out-of-hours). */
  calendar: BusinessCalendar;
  /** Public base URL Twilio uses to reach us (signature checks, TwiML URLs). */
  baseUrl: string;
  /** "Now" for time-of-day decisions (IVR out-of-hours); tests inject a fixed instant. Unset: the wall clock. */
  now?: () => Date;
  /** How long a Twilio webhook may work before the caller gets the fallback (routes/twilio WEBHOOK_DEADLINE_MS; tests shorten it). */
  webhookDeadlineMs?: number;
}
