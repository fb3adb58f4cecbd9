import { Router } from "express";
import twilio from "twilio";
import { currentAgent, requireLogin } from "../../auth/middleware.js";
import type { AppContext } from "../../context.js";
import { HttpError } from "../../errors/http-error.js";
import { agentIdentity } from "../../../ivr-flows/bridge.js";

/** Lifetime of a Voice JS SDK token, in seconds (the SDK refreshes before expiry). */
const TOKEN_TTL_SECONDS = 3600;

/**
 * GET /api/voice/token: an AccessToken with a VoiceGrant for the logged-in agent's browser (identity agent-<id>,
 * the <Client> the bridge dials). 503 while the Twilio API key or TwiML App is not configured (simulation).
 */
export function voiceTokenRouter(context: AppContext): Router {
  const router = Router();
  router.get("/token", requireLogin(context), (req, res) => {
    const agent = currentAgent(req);
    const { TWILIO_ACCOUNT_SID, TWILIO_API_KEY_SID, TWILIO_API_KEY_SECRET, TWILIO_TWIML_APP_SID } = context.env;
    if (!TWILIO_ACCOUNT_SID || !TWILIO_API_KEY_SID || !TWILIO_API_KEY_SECRET || !TWILIO_TWIML_APP_SID) {
      throw new HttpError(
        503,
        "voice_not_configured",
        "Browser calling is not configured: set TWILIO_ACCOUNT_SID, TWILIO_API_KEY_SID, TWILIO_API_KEY_SECRET and TWILIO_TWIML_APP_SID.",
      );
    }
    const identity = agentIdentity(agent.id);
    const token = new twilio.jwt.AccessToken(TWILIO_ACCOUNT_SID, TWILIO_API_KEY_SID, TWILIO_API_KEY_SECRET, { identity, ttl: TOKEN_TTL_SECONDS });
    token.addGrant(new twilio.jwt.AccessToken.VoiceGrant({ outgoingApplicationSid: TWILIO_TWIML_APP_SID, incomingAllow: true }));
    res.set("Cache-Control", "no-store").json({ token: token.toJwt(), identity, expiresInSeconds: TOKEN_TTL_SECONDS });
  });
  return router;
}
