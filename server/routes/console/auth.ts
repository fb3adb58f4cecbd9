import { Router, type Request, type RequestHandler } from "express";
import { ipKeyGenerator, rateLimit } from "express-rate-limit";
import { RedisStore, type RedisReply } from "rate-limit-redis";
import { readCookie, closeSession, SESSION_COOKIE } from "../../auth/sessions.js";
import { agentLogin } from "../../commands/agent-login.js";
import { agentStatusChanger } from "../../commands/agent-status-changer.js";
import type { AppContext } from "../../context.js";
import { tooManyRequests } from "../../errors/http-error.js";
import { agentForToken } from "../../auth/sessions.js";
import { presentAgent } from "../../presenters/agent.js";

/** Failed logins allowed per address and e-mail in the window, then 429. */
const LOGIN_ATTEMPTS = 10;
/** Failed logins allowed per address (any e-mail) in the window. */
const LOGIN_ATTEMPTS_PER_ADDRESS = 50;
const LOGIN_WINDOW_MS = 15 * 60_000;

/** Login rate limits kept in Redis, so every instance counts the same attempts. Built on first use (Redis is up by then). */
function loginLimiters(context: AppContext): RequestHandler {
  let limiters: RequestHandler[] | undefined;
  const build = (name: string, limit: number, key: (req: Request) => string) =>
    rateLimit({
      windowMs: LOGIN_WINDOW_MS,
      limit,
      standardHeaders: "draft-8",
      legacyHeaders: false,
      skipSuccessfulRequests: true,
      keyGenerator: key,
      // Built lazily inside the first request on purpose: the counts live in Redis, not in this instance.
      validate: { creationStack: false },
      store: new RedisStore({
        prefix: `${context.env.REDIS_PREFIX}:rate-limit:${name}:`,
        sendCommand: (command: string, ...args: string[]) => context.redis.call(command, ...args) as Promise<RedisReply>,
      }),
      handler: (_req, _res, next) => next(tooManyRequests("Too many failed login attempts: wait 15 minutes and try again.")),
    });
  const address = (req: Request) => ipKeyGenerator(req.ip ?? "unknown");
  return (req, res, next) => {
    limiters ??= [
      build("login", LOGIN_ATTEMPTS, (r) => `${address(r)}|${String(r.body?.email ?? "").trim().toLowerCase().slice(0, 200)}`),
      build("login-address", LOGIN_ATTEMPTS_PER_ADDRESS, address),
    ];
    const [first, second] = limiters;
    first!(req, res, (error?: unknown) => (error ? next(error) : second!(req, res, next)));
  };
}

/** POST /api/auth/login and /api/auth/logout: the session lives in an httpOnly, SameSite=Lax cookie. */
export function authRouter(context: AppContext): Router {
  const router = Router();
  router.post("/auth/login", loginLimiters(context), async (req, res) => {
    const { agent, token, expiresAt } = await agentLogin(context, { email: req.body?.email, password: req.body?.password, ttlHours: context.env.SESSION_TTL_HOURS });
    res.cookie(SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: "lax",
      secure: context.baseUrl.startsWith("https:"),
      path: "/",
      expires: expiresAt,
    });
    res.json({ agent: presentAgent(agent) });
  });

  router.post("/auth/logout", async (req, res) => {
    const token = readCookie(req.headers.cookie, SESSION_COOKIE);
    const agent = await agentForToken(context.dataSource, token);
    await closeSession(context.dataSource, token);
    if (agent && agent.status !== "offline") await agentStatusChanger(context, { agentId: agent.id, status: "offline", reason: "logout" });
    res.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: "lax", secure: context.baseUrl.startsWith("https:"), path: "/" });
    res.status(204).end();
  });
  return router;
}
