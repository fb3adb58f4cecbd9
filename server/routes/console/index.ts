import { Router } from "express";
import { requireLogin } from "../../auth/middleware.js";
import type { AppContext } from "../../context.js";
import { authRouter } from "./auth.js";
import { callbacksRouter } from "./callbacks.js";
import { callsRouter } from "./calls.js";
import { consentsRouter } from "./consents.js";
import { customersRouter } from "./customers.js";
import { meRouter } from "./me.js";
import { onSiteRouter } from "./on-site.js";
import { remoteSessionsRouter } from "./remote-sessions.js";
import { supervisorRouter } from "./supervisor.js";
import { ticketsRouter } from "./tickets.js";

/**
 * Agent console and supervisor API under /api. Login and logout are open; everything else needs a session
 * (401) and names the roles allowed (403).
 */
export function consoleRouter(context: AppContext): Router {
  const router = Router();
  router.use(authRouter(context));
  router.use(requireLogin(context));
  router.use(meRouter(context));
  router.use(callsRouter(context));
  router.use(ticketsRouter(context));
  router.use(consentsRouter(context));
  router.use(onSiteRouter(context));
  router.use(customersRouter(context));
  router.use(supervisorRouter(context));
  router.use(remoteSessionsRouter(context));
  router.use(callbacksRouter(context));
  return router;
}
