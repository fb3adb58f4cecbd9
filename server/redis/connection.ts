import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { Redis } from "ioredis";
import type { Env } from "../config/env.js";
import type { Logger } from "../logger.js";

/** Raised at start-up when no Redis answers and none can be started. */
export class RedisUnavailableError extends Error {
  constructor(url: string, reason: string) {
    super(
      `Redis at ${url} does not answer (${reason}) and no redis-server could be started.\n` +
        "Install Redis (Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis) " +
        "or set REDIS_URL to a Redis you can reach.",
    );
    this.name = "RedisUnavailableError";
  }
}

async function ping(url: string): Promise<string | null> {
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 1500 });
  probe.on("error", () => undefined);
  try {
    await probe.connect();
    await probe.ping();
    return null;
  } catch (error) {
    return (error as Error).message;
  } finally {
    probe.disconnect();
  }
}

function onPath(binary: string): string | null {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    const candidate = path.join(dir, binary);
    if (fs.existsSync(candidate)) return candidate;
  }
  return null;
}

/**
 * Returns a Redis URL that answers: REDIS_URL, or a private redis-server started under DATA_DIR when
 * REDIS_URL does not answer (REDIS_AUTOSTART) and redis-server is on the PATH.
 */
export async function ensureRedis(env: Env, logger: Logger): Promise<string> {
  const problem = await ping(env.REDIS_URL);
  if (!problem) return env.REDIS_URL;
  const binary = env.REDIS_AUTOSTART ? onPath("redis-server") : null;
  if (!binary) throw new RedisUnavailableError(env.REDIS_URL, problem);

  const dir = path.resolve(env.DATA_DIR, "redis");
  fs.mkdirSync(dir, { recursive: true });
  const port = new URL(env.REDIS_URL).port || "6379";
  const url = `redis://127.0.0.1:${port}`;
  logger.warn({ url: env.REDIS_URL, problem }, "Redis does not answer; starting a private redis-server under %s", dir);
  const child = spawn(
    binary,
    ["--port", port, "--bind", "127.0.0.1", "--dir", dir, "--appendonly", "yes", "--daemonize", "yes", "--pidfile", path.join(dir, "redis.pid"), "--logfile", path.join(dir, "redis.log")],
    { stdio: "ignore" },
  );
  await new Promise((resolve) => child.on("exit", resolve));
  for (let attempt = 0; attempt < 50; attempt++) {
    if (!(await ping(url))) return url;
    await sleep(100);
  }
  throw new RedisUnavailableError(url, "the private redis-server did not come up; see " + path.join(dir, "redis.log"));
}

/** How long the rate limits wait for Redis before letting a request through (each limit, each request). */
export const RATE_LIMIT_REDIS_TIMEOUT_MS = 150;

/**
 * The rate limits' own connection, which fails fast: no offline queue (a command while disconnected is refused at
 * once instead of waiting for the reconnect), no retries, a command timeout and a short connect timeout. The limits
 * fail open, so with Redis down a request costs at most a few of these timeouts, not ioredis's reconnect back-off
 * (15–30 s for a login, issue 18).
 */
export function createRateLimitRedis(url: string, name?: string): Redis {
  const redis = new Redis(url, {
    ...(name ? { connectionName: name } : {}),
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: RATE_LIMIT_REDIS_TIMEOUT_MS,
    connectTimeout: 1000,
    retryStrategy: (times) => Math.min(times * 200, 2000),
  });
  redis.on("error", () => undefined); // reconnects on its own; the limits pass requests meanwhile
  return redis;
}

/** A shared connection for commands; BullMQ workers get their own with maxRetriesPerRequest null. */
export function createRedis(url: string, options: { forWorkers?: boolean; name?: string } = {}): Redis {
  const redis = new Redis(url, {
    // Shown by CLIENT LIST, so an operator (or a test) can tell the connections apart.
    ...(options.name ? { connectionName: options.name } : {}),
    maxRetriesPerRequest: options.forWorkers ? null : 3,
    enableOfflineQueue: true,
    retryStrategy: (times) => Math.min(times * 200, 2000),
  });
  redis.on("error", () => undefined); // reconnects on its own; readiness reports the outage
  return redis;
}
