import { Router } from "express";
import { IsNull, MoreThan } from "typeorm";
import { Call } from "../../../entities/Call.js";
import { currentAgent, requireRole } from "../../auth/middleware.js";
import { callAcceptor } from "../../commands/call-acceptor.js";
import type { AppContext } from "../../context.js";
import { presentCall } from "../../presenters/call.js";
import { AGENT_ROLES_ALL, idParam } from "./params.js";
import { loadTicketDetail } from "./queries/ticket-detail.js";

/** A call accepted longer ago than this is not "current" any more, even if its end was never reported. */
const CURRENT_CALL_MAX_AGE_MS = 6 * 3600_000;

/** Calls: POST /api/calls/:id/accept (first accept wins) and GET /api/calls/current (the call I am on). */
export function callsRouter(context: AppContext): Router {
  const router = Router();
  router.use("/calls", requireRole(...AGENT_ROLES_ALL));

  router.post("/calls/:id/accept", async (req, res) => {
    const { call, ticket, bridged } = await callAcceptor(context, { callId: idParam(req), agentId: currentAgent(req).id });
    res.json({ call: presentCall(call), ticket: ticket ? await loadTicketDetail(context, ticket.id) : null, bridged });
  });

  router.get("/calls/current", async (req, res) => {
    const call = await context.dataSource.getRepository(Call).findOne({
      where: { acceptedByAgentId: currentAgent(req).id, endedAt: IsNull(), createdAt: MoreThan(new Date(Date.now() - CURRENT_CALL_MAX_AGE_MS)) },
      relations: { acceptedByAgent: true },
      order: { createdAt: "DESC", id: "DESC" },
    });
    res.json({ call: call ? presentCall(call) : null });
  });
  return router;
}
