import { Router } from "express";
import { z } from "zod";
import { ON_SITE_STATUSES } from "../../../entities/enums.js";
import { currentAgent, requireRole } from "../../auth/middleware.js";
import { onSiteDecider } from "../../commands/on-site-decider.js";
import { onSiteRequester } from "../../commands/on-site-requester.js";
import type { AppContext } from "../../context.js";
import { validate } from "../../errors/validation.js";
import { presentOnSiteRequest } from "../../presenters/ticket.js";
import { AGENT_ROLES_ALL, idParam, SUPERVISOR_ROLES } from "./params.js";
import { listOnSiteRequests } from "./queries/on-site-requests.js";
import { loadTicketDetail } from "./queries/ticket-detail.js";

/**
 * R7 on-site interventions: POST /api/tickets/:id/on-site-requests (an agent asks, with a reason);
 * GET /api/on-site-requests?status=pending and POST /api/on-site-requests/:id/decision (supervisors approve
 * or refuse, with a reason).
 */
export function onSiteRouter(context: AppContext): Router {
  const router = Router();

  router.post("/tickets/:id/on-site-requests", requireRole(...AGENT_ROLES_ALL), async (req, res) => {
    const { reason } = validate(z.object({ reason: z.string() }).strict(), req.body);
    const ticketId = idParam(req);
    await onSiteRequester(context, { ticketId, agentId: currentAgent(req).id, reason });
    res.status(201).json({ ticket: await loadTicketDetail(context, ticketId) });
  });

  router.get("/on-site-requests", requireRole(...SUPERVISOR_ROLES), async (req, res) => {
    const { status } = validate(z.object({ status: z.enum(ON_SITE_STATUSES).default("pending") }).strict(), req.query);
    res.json({ items: (await listOnSiteRequests(context.dataSource, status)).map(presentOnSiteRequest) });
  });

  router.post("/on-site-requests/:id/decision", requireRole(...SUPERVISOR_ROLES), async (req, res) => {
    const input = validate(z.object({ decision: z.enum(["approved", "refused"]), reason: z.string() }).strict(), req.body);
    const request = await onSiteDecider(context, { requestId: idParam(req), deciderAgentId: currentAgent(req).id, ...input });
    res.json({ ticket: await loadTicketDetail(context, request.ticketId) });
  });
  return router;
}
