import type { RequestHandler } from "express";
import twilio from "twilio";
import type { AppContext } from "../../context.js";

/** True when `signature` is Twilio's X-Twilio-Signature of this URL and these POST parameters under `authToken`. */
export function isValidTwilioSignature(authToken: string, signature: string | undefined, url: string, params: Record<string, unknown>): boolean {
  if (!signature) return false;
  return twilio.validateRequest(authToken, signature, url, params);
}

/**
 * 403 unless the request carries Twilio's signature of the PUBLIC URL (PUBLIC_BASE_URL + path, read at request
 * time so it works behind a proxy and in tests) — before anything is read from the database or stored.
 */
export function requireTwilioSignature(context: AppContext): RequestHandler {
  return (req, res, next) => {
    const url = context.baseUrl + req.originalUrl;
    const params = req.body && typeof req.body === "object" ? (req.body as Record<string, unknown>) : {};
    if (!isValidTwilioSignature(context.env.TWILIO_AUTH_TOKEN, req.header("x-twilio-signature"), url, params)) {
      context.logger.warn({ path: req.path }, "rejected a Twilio webhook with a missing or wrong signature");
      res.status(403).type("text/plain").send("Forbidden: invalid Twilio signature.");
      return;
    }
    next();
  };
}
