import { Router, type Request, type RequestHandler, type Response } from "express";
import { readCookie, SESSION_COOKIE } from "../../auth/sessions.js";
import { agentLogin } from "../../commands/agent-login.js";
import { agentLogout } from "../../commands/agent-logout.js";
import type { AppContext } from "../../context.js";
import { presentAgent } from "../../presenters/agent.js";
import { addressKey, redisRateLimit } from "../../security/rate-limit.js";

/** Failed logins allowed per address and e-mail in the window, then 429. */
const LOGIN_ATTEMPTS = 10;
/** Failed logins allowed per address (any e-mail) in the window. */
const LOGIN_ATTEMPTS_PER_ADDRESS = 50;
const LOGIN_WINDOW_MS = 15 * 60_000;

/**
 * Login rate limits kept in Redis, so every instance counts the same attempts; only failures count. Like every
 * limit of server/security/rate-limit.ts they let requests through while Redis is down (logging in must keep working).
 */
function loginLimiters(context: AppContext): RequestHandler {
  const message = "Too many failed login attempts: wait 15 minutes and try again.";
  const failed = (_req: Request, res: Response) => res.statusCode >= 400;
  const perEmail = redisRateLimit(context, {
    name: "login",
    windowMs: LOGIN_WINDOW_MS,
    limit: LOGIN_ATTEMPTS,
    key: (req) => `${addressKey(req)}|${String(req.body?.email ?? "").trim().toLowerCase().slice(0, 200)}`,
    message,
    countOnly: failed,
  });
  const perAddress = redisRateLimit(context, { name: "login-address", windowMs: LOGIN_WINDOW_MS, limit: LOGIN_ATTEMPTS_PER_ADDRESS, key: addressKey, message, countOnly: failed });
  return (req, res, next) => perEmail(req, res, (error?: unknown) => (error ? next(error) : perAddress(req, res, next)));
}

/** POST /api/auth/login and /api/auth/logout: the session lives in an httpOnly, SameSite=Lax cookie. */
export function authRouter(context: AppContext): Router {
  const router = Router();
  const sessionCookie = { httpOnly: true, sameSite: "lax" as const, secure: context.baseUrl.startsWith("https:"), path: "/" };
  router.post("/auth/login", loginLimiters(context), async (req, res) => {
    const { agent, token, expiresAt } = await agentLogin(context, { email: req.body?.email, password: req.body?.password, ttlHours: context.env.SESSION_TTL_HOURS });
    res.cookie(SESSION_COOKIE, token, { ...sessionCookie, expires: expiresAt });
    res.json({ agent: presentAgent(agent) });
  });

  router.post("/auth/logout", async (req, res) => {
    await agentLogout(context, { token: readCookie(req.headers.cookie, SESSION_COOKIE) });
    res.clearCookie(SESSION_COOKIE, sessionCookie);
    res.status(204).end();
  });
  return router;
}
