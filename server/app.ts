import fs from "node:fs";
import express from "express";
import helmet from "helmet";
import { pinoHttp } from "pino-http";
import type { AppContext } from "./context.js";
import { errorHandler } from "./errors/handler.js";
import { notFound } from "./errors/http-error.js";
import { agentUiDist } from "./paths.js";
import { BOARD_PATH, jobsBoardRouter } from "./jobs/board.js";
import { adminRouter } from "./routes/admin/index.js";
import { consoleRouter } from "./routes/console/index.js";
import { healthRouter } from "./routes/health.js";
import { simulatorRouter } from "./routes/simulator/index.js";
import { deskSocketOrigin } from "./security/desk-origin.js";
import { requireBodyType } from "./security/body-type.js";
import { apiRateLimiter } from "./security/rate-limit.js";
import { sameOriginWrites } from "./security/same-origin.js";
import { voiceConnectSources, voiceMediaSources } from "./security/voice-csp.js";
import { twilioRouter } from "./routes/twilio/index.js";
import { voiceTokenRouter } from "./routes/twilio/voice-token.js";


/** The HTTP application: health, Twilio webhooks, console and admin APIs, job board, the agent UI. */
export function createApp(context: AppContext): express.Express {
  const app = express();
  app.disable("x-powered-by");
  // Only the configured proxies may name the client (req.ip, which the rate limits key on) and the scheme
  // (req.secure); with the default 0 a client's own X-Forwarded-For is ignored.
  app.set("trust proxy", context.env.TRUST_PROXY);
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          "default-src": ["'self'"],
          // Only the desk's own socket, not any ws:/wss: host (which would let injected script send data anywhere).
          // A function, so the base URL is read per response (tests set it once the port is known).
          "connect-src": ["'self'", () => deskSocketOrigin(context.baseUrl), ...voiceConnectSources(context.env)],
          // The Voice SDK's ringtones, in live mode only (server/security/voice-csp.ts).
          "media-src": ["'self'", ...voiceMediaSources(context.env)],
          "img-src": ["'self'", "data:"],
          "style-src": ["'self'", "'unsafe-inline'"],
          "script-src": ["'self'"],
          // Helmet's default would make browsers fetch every asset over https: a desk served on plain http under a
          // host name (http://servicedesk:3000 on the LAN) would load a blank page. Our URLs are all relative anyway.
          "upgrade-insecure-requests": null,
        },
      },
      // HSTS only over https (below): sent over plain http it would make a browser refuse the desk's http:// LAN
      // address for a year once it reached it over https, and RFC 6797 §7.2 says to send it over secure transport only.
      strictTransportSecurity: false,
    }),
  );
  const hsts = helmet.strictTransportSecurity();
  // req.secure believes X-Forwarded-Proto only from TRUST_PROXY's proxies.
  app.use((req, res, next) => (req.secure ? hsts(req, res, next) : next()));
  if (context.env.LOG_LEVEL === "debug" || context.env.LOG_LEVEL === "trace") app.use(pinoHttp({ logger: context.logger }));

  app.use(healthRouter(context));
  app.use("/twilio", twilioRouter(context));
  // Every state-changing request of the desk's pages (the simulator's router checks its own, after its 404); Twilio's
  // webhooks above are signed instead.
  app.use(["/api", BOARD_PATH], sameOriginWrites(context));
  app.use("/sim", simulatorRouter(context));
  app.use("/api", apiRateLimiter(context));
  app.use("/api/voice", voiceTokenRouter(context));
  app.use("/api/admin", express.json({ limit: "200kb" }), adminRouter(context));
  app.use("/api", requireBodyType("application/json"), express.json({ limit: "100kb" }), consoleRouter(context));
  app.use(BOARD_PATH, jobsBoardRouter(context));

  app.use("/api", (req) => {
    throw notFound(`API route ${req.method} ${req.path}`);
  });
  if (fs.existsSync(agentUiDist)) {
    app.use(express.static(agentUiDist, { index: "index.html", maxAge: "1h" }));
    app.get("/*splat", (_req, res) => res.sendFile("index.html", { root: agentUiDist }));
  }
  app.use(errorHandler(context.logger));
  return app;
}
