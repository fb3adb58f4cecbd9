import type { RequestHandler } from "express";
import { requireLogin } from "../../auth/middleware.js";
import { simulatorEnabled } from "../../config/env.js";
import type { AppContext } from "../../context.js";
import { notFound } from "../../errors/http-error.js";
import { requireBodyType } from "../../security/body-type.js";
import { apiRateLimiter } from "../../security/rate-limit.js";
import { sameOriginWrites } from "../../security/same-origin.js";

/**
 * What every /sim route goes through, mounted once on the simulator's router so each route added there inherits it:
 * 404 unless the app runs in simulation on the simulation token (the simulator signs webhooks with
 * TWILIO_AUTH_TOKEN, so with a real token it would forge Twilio for whoever calls it), then the desk's own origin
 * for writes, the API rate limit, a desk login (any role) and JSON bodies.
 */
export function simulatorGate(context: AppContext): RequestHandler[] {
  const enabled: RequestHandler = (_req, _res, next) => {
    if (!simulatorEnabled(context.env)) throw notFound("The phone simulator (simulation mode only)");
    next();
  };
  return [enabled, sameOriginWrites(context), apiRateLimiter(context), requireLogin(context), requireBodyType("application/json")];
}
