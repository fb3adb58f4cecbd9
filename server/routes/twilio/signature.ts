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
 * time so it works behind a proxy and in tests), 400 when a POST parameter is repeated — before anything is read
 * from the database or stored.
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
    // Twilio's validator signs a repeated parameter's distinct values once each, so `Digits=2&Digits=2` carries the
    // signature of `Digits=2`: a replayed request with a parameter repeated passes the check and then reads as an
    // array. Twilio posts every parameter once, so a repeated one is someone else's tampering: refused before
    // anything is read or stored (400, like the 403 above, is for whoever is not Twilio).
    const repeated = Object.keys(params).filter((name) => Array.isArray(params[name]));
    if (repeated.length > 0) {
      context.logger.warn({ path: req.path, repeated }, "rejected a signed Twilio webhook with a repeated parameter");
      res.status(400).type("text/plain").send("Bad request: repeated parameter.");
      return;
    }
    next();
  };
}
