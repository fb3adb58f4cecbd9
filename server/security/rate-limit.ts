import { createHash } from "node:crypto";
import type { Request, RequestHandler, Response } from "express";
import { ipKeyGenerator, rateLimit, type Options } from "express-rate-limit";
import { RedisStore, type RedisReply } from "rate-limit-redis";
import { readCookie, SESSION_COOKIE } from "../auth/sessions.js";
import type { AppContext } from "../context.js";
import { tooManyRequests } from "../errors/http-error.js";

const MINUTE_MS = 60_000;

export interface RedisRateLimitOptions {
  /** Part of the Redis key: `<REDIS_PREFIX>:rate-limit:<name>:<client key>`. */
  name: string;
  windowMs: number;
  limit: number;
  /** Which client a request counts against. */
  key: (req: Request) => string;
  /** The 429 message. */
  message: string;
  /** Counts only the requests this returns false for (e.g. only the 401s). */
  countOnly?: (req: Request, res: Response) => boolean;
}

/**
 * A rate limit whose counts live in Redis, so every instance of the app counts the same requests. It fails
 * open: when Redis does not answer the request passes (an outage must not take the API down with it), and the
 * limiter is rebuilt on the next request, because the store keeps a failed script load for ever.
 */
export function redisRateLimit(context: AppContext, options: RedisRateLimitOptions): RequestHandler {
  let limiter: RequestHandler | undefined;
  const build = (): RequestHandler =>
    rateLimit({
      windowMs: options.windowMs,
      limit: options.limit,
      standardHeaders: "draft-8",
      legacyHeaders: false,
      keyGenerator: options.key,
      identifier: options.name,
      passOnStoreError: true,
      ...(options.countOnly ? { skipSuccessfulRequests: true, requestWasSuccessful: (req: Request, res: Response) => !options.countOnly!(req, res) } : {}),
      // Built inside the first request on purpose (and again after a Redis failure): the counts live in Redis, not here.
      validate: { creationStack: false },
      logger: {
        error: (error: unknown, message?: string) => {
          limiter = undefined;
          context.logger.warn({ err: error, limiter: options.name }, message ?? "rate limit store failed; request allowed");
        },
        warn: (error: unknown, message?: string) => context.logger.warn({ err: error, limiter: options.name }, message ?? "rate limit warning"),
      },
      store: new RedisStore({
        prefix: `${context.env.REDIS_PREFIX}:rate-limit:${options.name}:`,
        sendCommand: (command: string, ...args: string[]) => context.rateLimitRedis.call(command, ...args) as Promise<RedisReply>,
      }),
      handler: (_req, _res, next) => next(tooManyRequests(options.message)),
    } satisfies Partial<Options>);
  return (req, res, next) => {
    limiter ??= build();
    return limiter(req, res, next);
  };
}

/** The client's address (the socket's, or X-Forwarded-For's only through TRUST_PROXY's proxies), IPv6 folded to its /56 (one household or office is one client). */
export const addressKey = (req: Request): string => ipKeyGenerator(req.ip ?? "unknown");

/** The session a request claims (a hash of its cookie, never the token itself), else its address. */
export function sessionOrAddressKey(req: Request): string {
  const token = readCookie(req.headers.cookie, SESSION_COOKIE);
  return token ? `session:${createHash("sha256").update(token).digest("hex").slice(0, 32)}` : `address:${addressKey(req)}`;
}

/**
 * The general limit of /api (API_RATE_LIMIT_PER_MINUTE; 0 turns it off): per session, so a desk of agents
 * behind one office address is not one client; requests without a cookie count per address. A session key is
 * only a claim, so the requests that end in 401 also count per address: rotating made-up cookies does not
 * escape the limit. Twilio webhooks are not under /api and never limited (a refused webhook drops a call).
 */
export function apiRateLimiter(context: AppContext): RequestHandler {
  const limit = context.env.API_RATE_LIMIT_PER_MINUTE;
  if (limit === 0) return (_req, _res, next) => next();
  const message = "Too many requests: wait a minute and try again.";
  const perClient = redisRateLimit(context, { name: "api", windowMs: MINUTE_MS, limit, key: sessionOrAddressKey, message });
  const unauthenticated = redisRateLimit(context, {
    name: "api-401",
    windowMs: MINUTE_MS,
    limit,
    key: addressKey,
    message,
    countOnly: (_req, res) => res.statusCode === 401,
  });
  return (req, res, next) => perClient(req, res, (error?: unknown) => (error ? next(error) : unauthenticated(req, res, next)));
}
