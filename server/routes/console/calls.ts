import { Router } from "express";
import { currentAgent, requireRole } from "../../auth/middleware.js";
import { callAcceptor } from "../../commands/call-acceptor.js";
import type { AppContext } from "../../context.js";
import { presentCall } from "../../presenters/call.js";
import { AGENT_ROLES_ALL, idParam } from "./params.js";
import { currentCallOf } from "./queries/current-call.js";
import { loadTicketDetail } from "./queries/ticket-detail.js";

/** Calls: POST /api/calls/:id/accept (first accept wins) and GET /api/calls/current (the call I am on). */
export function callsRouter(context: AppContext): Router {
  const router = Router();
  router.use("/calls", requireRole(...AGENT_ROLES_ALL));

  router.post("/calls/:id/accept", async (req, res) => {
    const { call, ticket, bridged } = await callAcceptor(context, { callId: idParam(req), agentId: currentAgent(req).id });
    res.json({ call: presentCall(call), ticket: ticket ? await loadTicketDetail(context, ticket.id) : null, bridged });
  });

  router.get("/calls/current", async (req, res) => {
    const call = await currentCallOf(context.dataSource, currentAgent(req).id);
    res.json({ call: call ? presentCall(call) : null });
  });
  return router;
}
