import { Router } from "express";
import { In } from "typeorm";
import { currentAgent, requireRole } from "../../auth/middleware.js";
import { callbackAccepter } from "../../commands/callback-accepter.js";
import type { AppContext } from "../../context.js";
import { loadCallbackPayloads } from "../../presenters/callback.js";
import { AGENT_ROLES_ALL, idParam } from "./params.js";

/**
 * Queued callbacks: GET /callbacks lists those waiting, oldest first (callers keep their place);
 * POST /callbacks/:id/accept takes one (409 callback_taken when another agent was first) and the
 * jobs place the outbound call, bridged to the accepting agent.
 */
export function callbacksRouter(context: AppContext): Router {
  const router = Router();
  router.use("/callbacks", requireRole(...AGENT_ROLES_ALL));

  router.get("/callbacks", async (_req, res) => {
    res.json({ callbacks: await loadCallbackPayloads(context.dataSource.manager, { status: In(["pending", "offered"]) }) });
  });

  router.post("/callbacks/:id/accept", async (req, res) => {
    const callback = await callbackAccepter(context, { callbackId: idParam(req), agentId: currentAgent(req).id });
    const [payload] = await loadCallbackPayloads(context.dataSource.manager, { id: callback.id });
    res.status(202).json({ callback: payload });
  });

  return router;
}
