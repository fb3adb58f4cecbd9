import { isIP } from "node:net";
import path from "node:path";
import { z } from "zod";

/** Parses "true"/"false"/"1"/"0" env strings into booleans; other values are an error. */
const booleanFlag = (defaultValue: boolean) =>
  z
    .enum(["true", "false", "1", "0", "yes", "no"])
    .default(defaultValue ? "true" : "false")
    .transform((value) => value === "true" || value === "1" || value === "yes");

const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be HH:MM (24-hour clock)");

const e164 = z.string().regex(/^\+[1-9]\d{6,14}$/, "must be an E.164 phone number such as +3232000000");

/** The auth token of simulation: the phone simulator signs its webhooks with it, and exists only while it is in use. */
export const SIMULATION_AUTH_TOKEN = "simulation-auth-token";
const DEMO_DESK_NUMBER = "+3232000000";
const DEMO_SMS_FROM_NUMBER = "+3232000001";

/**
 * Every setting of the servicedesk, with its default. `.env.example` documents the same list.
 * Business-hours settings are in BUSINESS_TIMEZONE, never the process TZ.
 */
export const envSchema = z.object({
  /** HTTP port of the app. */
  PORT: z.coerce.number({ error: "must be a port number from 0 to 65535" }).int("must be a whole number").min(0, "must be 0 or more").max(65535, "must be at most 65535").default(3000),
  /** mysql:// URL of MariaDB/MySQL; unset means the embedded SQLite file DATA_DIR/servicedesk.sqlite. */
  DATABASE_URL: z
    .string()
    .regex(/^mysql:\/\/.+/, "must be a mysql:// URL (leave unset for the embedded SQLite file)")
    .optional(),
  /** Folder for the embedded SQLite file and a private redis-server's data. */
  DATA_DIR: z.string().default("./data"),
  /** Redis for queues, realtime fan-out, rate limits and sessions. */
  REDIS_URL: z.string().regex(/^rediss?:\/\/.+/, "must be a redis:// URL").default("redis://127.0.0.1:6379"),
  /** Start a private redis-server under DATA_DIR when REDIS_URL does not answer. */
  REDIS_AUTOSTART: booleanFlag(true),
  /** Prefix of every Redis key and BullMQ queue of this deployment. */
  REDIS_PREFIX: z.string().min(1).default("sd"),
  /** URL at which Twilio reaches this app (used to check webhook signatures behind a proxy). */
  PUBLIC_BASE_URL: z.string().url("must be an absolute URL such as https://desk.example.be").optional(),
  /**
   * Which proxies in front of the app may name the client in X-Forwarded-For (and the scheme in X-Forwarded-Proto):
   * a number of hops, or addresses/subnets (and express's loopback, linklocal, uniquelocal) separated by commas.
   * Default 0, trust nothing: without a proxy anyone can write those headers, and rate limits key on the address.
   */
  TRUST_PROXY: z
    .string()
    .trim()
    .refine(isTrustProxyValue, "must be a number of proxy hops (0 trusts nothing) or proxy addresses/subnets separated by commas, e.g. 1 or 10.0.0.2,loopback")
    .default("0")
    .transform((value): number | string[] => (/^\d+$/.test(value) ? Number(value) : value.split(",").map((item) => item.trim()))),
  /** Twilio account; unset means simulation (built-in phone simulator, recorded SMS outbox). */
  TWILIO_ACCOUNT_SID: z.string().regex(/^AC[0-9a-fA-F]{32}$/, "must look like AC followed by 32 hex digits").optional(),
  /** Twilio auth token; in simulation the simulator signs with this value. */
  TWILIO_AUTH_TOKEN: z.string().min(8, "must be at least 8 characters").default(SIMULATION_AUTH_TOKEN),
  /** API key and secret for Voice JS SDK access tokens (agent browsers as phones). */
  TWILIO_API_KEY_SID: z.string().optional(),
  TWILIO_API_KEY_SECRET: z.string().optional(),
  /** TwiML App whose Voice URL dials out from agent browsers. */
  TWILIO_TWIML_APP_SID: z.string().optional(),
  /** The desk's public phone number (Voice URL points at POST /twilio/voice). */
  DESK_PHONE_NUMBER: e164.default(DEMO_DESK_NUMBER),
  /** Sender of SMS confirmations. */
  SMS_FROM_NUMBER: e164.default(DEMO_SMS_FROM_NUMBER),
  /** Account management, offered to callers without entitlement. */
  ACCOUNT_MANAGEMENT_NUMBER: e164.default("+3232000002"),
  /** Time zone of business hours and SLA clocks. */
  BUSINESS_TIMEZONE: z
    .string()
    .refine((zone) => isKnownTimeZone(zone), "must be an IANA time zone such as Europe/Brussels")
    .default("Europe/Brussels"),
  /** Opening time of the desk on business days, in BUSINESS_TIMEZONE. */
  BUSINESS_HOURS_START: clockTime.default("08:30"),
  /** Closing time of the desk on business days, in BUSINESS_TIMEZONE. */
  BUSINESS_HOURS_END: clockTime.default("17:00"),
  /** Business days, ISO weekday numbers (1 = Monday … 7 = Sunday), comma separated. */
  BUSINESS_DAYS: z
    .string()
    .regex(/^[1-7](,[1-7])*$/, "must be ISO weekday numbers separated by commas, e.g. 1,2,3,4,5")
    .default("1,2,3,4,5")
    .transform((days) => [...new Set(days.split(",").map(Number))]),
  /** Country whose public holidays close the desk (date-holidays code). */
  HOLIDAY_COUNTRY: z.string().length(2).default("BE"),
  /** Secret for signing session cookies. */
  SESSION_SECRET: z.string().min(16, "must be at least 16 characters").default("dev-only-session-secret-change-me"),
  /** Key of the PIN hashes; changing it invalidates every stored PIN. */
  PIN_SECRET: z.string().min(16, "must be at least 16 characters").default("dev-only-pin-secret-change-me"),
  /** Requests per minute one session (or, without a session, one address) may make to /api; 0 turns the limit off. Twilio webhooks are never limited. */
  API_RATE_LIMIT_PER_MINUTE: z.coerce.number({ error: "must be a whole number of requests" }).int("must be a whole number").min(0, "must be 0 or more").default(600),
  /** Agent session lifetime, in hours. */
  SESSION_TTL_HOURS: z.coerce.number({ error: "must be a number of hours" }).positive("must be more than 0").default(12),
  /** Run BullMQ workers inside the web process (false when `npm run worker` runs them). */
  RUN_WORKERS: booleanFlag(true),
  /** Load the demo data on the first start of an empty embedded database. */
  SEED_ON_EMPTY: booleanFlag(true),
  /** pino log level. */
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** Business days a waiting-on-customer ticket waits before its reminder. */
  FOLLOW_UP_BUSINESS_DAYS: z.coerce.number({ error: "must be a whole number of days" }).int("must be a whole number").positive("must be more than 0").default(3),
  /** Jobs of each kind one scan enqueues at most (follow-ups oldest first, SLA alerts longest overdue first): an imported backlog trickles out instead of flooding the workers. */
  FOLLOW_UP_SCAN_LIMIT: z.coerce.number({ error: "must be a whole number" }).int("must be a whole number").positive("must be more than 0").default(2000),
  /** Follow-up jobs started per second at most, over all workers: background work leaves the calls their CPU. */
  FOLLOW_UP_JOBS_PER_SECOND: z.coerce.number({ error: "must be a whole number" }).int("must be a whole number").positive("must be more than 0").default(20),
  /** Days a delivered outbox message is kept before the hourly outbox-retention job deletes it (undelivered and dead-lettered ones stay). */
  OUTBOX_RETENTION_DAYS: z.coerce.number({ error: "must be a whole number of days" }).int("must be a whole number").positive("must be more than 0").default(7),
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
});

export type Env = z.infer<typeof envSchema>;

function isKnownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Express's named ranges for trust proxy, next to literal addresses and subnets. */
const TRUST_PROXY_NAMES = new Set(["loopback", "linklocal", "uniquelocal"]);

/** True for a hop count or a comma list of addresses, subnets (address/prefix) and express's range names. "true" is refused: it believes any client's X-Forwarded-For. */
function isTrustProxyValue(value: string): boolean {
  if (/^\d+$/.test(value)) return Number(value) <= 10;
  return value.split(",").every((raw) => {
    const item = raw.trim();
    if (TRUST_PROXY_NAMES.has(item)) return true;
    const [address, prefix, ...rest] = item.split("/");
    const family = isIP(address ?? "");
    if (family === 0 || rest.length > 0) return false;
    return prefix === undefined || (/^\d+$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128));
  });
}

/** Thrown when the environment is invalid; its message names every variable at fault. */
export class InvalidEnvironmentError extends Error {
  constructor(readonly problems: { variable: string; message: string }[]) {
    super(
      "Invalid configuration:\n" + problems.map((p) => `  ${p.variable}: ${p.message}`).join("\n"),
    );
    this.name = "InvalidEnvironmentError";
  }
}

/** Validates a raw environment; empty strings count as unset. */
export function parseEnv(raw: NodeJS.ProcessEnv = process.env): Env {
  const cleaned = Object.fromEntries(Object.entries(raw).filter(([, value]) => value !== undefined && value !== ""));
  const result = envSchema.safeParse(cleaned);
  if (!result.success) {
    throw new InvalidEnvironmentError(
      result.error.issues.map((issue) => ({ variable: String(issue.path[0] ?? "?"), message: issue.message })),
    );
  }
  const liveProblems = liveModeProblems(result.data, cleaned);
  if (liveProblems.length > 0) throw new InvalidEnvironmentError(liveProblems);
  if (result.data.BUSINESS_HOURS_START >= result.data.BUSINESS_HOURS_END) {
    throw new InvalidEnvironmentError([
      { variable: "BUSINESS_HOURS_END", message: "must be later than BUSINESS_HOURS_START" },
    ]);
  }
  return result.data;
}

/** Values that only make sense in simulation: live mode must not run on them. */
const SIMULATION_DEFAULTS = {
  TWILIO_AUTH_TOKEN: SIMULATION_AUTH_TOKEN,
  DESK_PHONE_NUMBER: DEMO_DESK_NUMBER,
  SMS_FROM_NUMBER: DEMO_SMS_FROM_NUMBER,
} as const;

/**
 * With a Twilio account, settings that would silently break calls: every webhook would fail its signature check
 * (simulation token, or a PUBLIC_BASE_URL Twilio does not call), or the desk would answer and text from demo numbers.
 */
function liveModeProblems(env: Env, raw: Record<string, string | undefined>): { variable: string; message: string }[] {
  if (isSimulation(env)) return [];
  const problems: { variable: string; message: string }[] = [];
  if (env.TWILIO_AUTH_TOKEN === SIMULATION_DEFAULTS.TWILIO_AUTH_TOKEN) {
    problems.push({ variable: "TWILIO_AUTH_TOKEN", message: "must be the account's auth token when TWILIO_ACCOUNT_SID is set (not the simulation default)" });
  }
  if (!env.PUBLIC_BASE_URL || !env.PUBLIC_BASE_URL.startsWith("https://")) {
    problems.push({ variable: "PUBLIC_BASE_URL", message: "must be the https:// URL at which Twilio reaches this app when TWILIO_ACCOUNT_SID is set" });
  }
  for (const variable of ["DESK_PHONE_NUMBER", "SMS_FROM_NUMBER"] as const) {
    if (raw[variable] === undefined || env[variable] === SIMULATION_DEFAULTS[variable]) {
      problems.push({ variable, message: "must be set to the account's own number when TWILIO_ACCOUNT_SID is set (not the demo default)" });
    }
  }
  return problems;
}

/** Public base URL, defaulting to localhost on PORT. */
export function publicBaseUrl(env: Env): string {
  return (env.PUBLIC_BASE_URL ?? `http://localhost:${env.PORT}`).replace(/\/$/, "");
}

/** True when no Twilio account is configured: the simulator plays Twilio's part. */
export function isSimulation(env: Env): boolean {
  return !env.TWILIO_ACCOUNT_SID;
}

/**
 * True when the phone simulator (/sim) may run: simulation, on the simulation token. A real TWILIO_AUTH_TOKEN (set
 * ahead of the account SID, say) turns it off, or the simulator would sign forged webhooks with it for anyone.
 */
export function simulatorEnabled(env: Env): boolean {
  return isSimulation(env) && env.TWILIO_AUTH_TOKEN === SIMULATION_AUTH_TOKEN;
}

export function sqlitePath(env: Env): string {
  return path.resolve(env.DATA_DIR, "servicedesk.sqlite");
}

/** parseEnv for entry points: an invalid environment prints what is wrong and exits with status 1. */
export function parseEnvOrExit(raw: NodeJS.ProcessEnv = process.env): Env {
  try {
    return parseEnv(raw);
  } catch (error) {
    if (!(error instanceof InvalidEnvironmentError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}
