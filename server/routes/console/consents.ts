import { Router } from "express";
import { z } from "zod";
import { CONSENT_METHODS } from "../../../entities/enums.js";
import { currentAgent, requireRole } from "../../auth/middleware.js";
import { billableEntryCreator } from "../../commands/billable-entry-creator.js";
import { costConsentRecorder } from "../../commands/cost-consent-recorder.js";
import { costConsentRequester } from "../../commands/cost-consent-requester.js";
import type { AppContext } from "../../context.js";
import { validate } from "../../errors/validation.js";
import { AGENT_ROLES_ALL, idParam } from "./params.js";
import { loadTicketDetail } from "./queries/ticket-detail.js";

const amount = z.number().int().min(0).max(100_000_000).nullish();

/**
 * R6 cost consents and billable work: POST /api/tickets/:id/cost-consents (ask, with the estimate told),
 * POST /api/cost-consents/:id/decision (who, how, when), POST /api/tickets/:id/billable-entries (refused with
 * 409 consent_required without a given consent).
 */
export function consentsRouter(context: AppContext): Router {
  const router = Router();
  router.use(["/tickets/:id/cost-consents", "/tickets/:id/billable-entries", "/cost-consents"], requireRole(...AGENT_ROLES_ALL));

  router.post("/tickets/:id/cost-consents", async (req, res) => {
    const input = validate(z.object({ estimateText: z.string().max(500), estimateAmountCents: z.number().int().positive().max(100_000_000) }).strict(), req.body);
    const ticketId = idParam(req);
    const consent = await costConsentRequester(context, { ticketId, agentId: currentAgent(req).id, ...input });
    res.status(201).json({ consentId: consent.id, ticket: await loadTicketDetail(context, ticketId) });
  });

  router.post("/cost-consents/:id/decision", async (req, res) => {
    const input = validate(
      z
        .object({
          decision: z.enum(["given", "refused"]),
          personId: z.number().int().positive(),
          method: z.enum(CONSENT_METHODS),
          decidedAt: z.iso.datetime({ offset: true }).optional(),
        })
        .strict(),
      req.body,
    );
    const { ticket } = await costConsentRecorder(context, {
      consentId: idParam(req),
      agentId: currentAgent(req).id,
      decision: input.decision,
      personId: input.personId,
      method: input.method,
      ...(input.decidedAt ? { decidedAt: new Date(input.decidedAt) } : {}),
    });
    res.json({ ticket: await loadTicketDetail(context, ticket.id) });
  });

  router.post("/tickets/:id/billable-entries", async (req, res) => {
    const input = validate(
      z.object({ minutes: z.number().int(), description: z.string(), amountCents: amount, consentId: z.number().int().positive().nullish() }).strict(),
      req.body,
    );
    const ticketId = idParam(req);
    await billableEntryCreator(context, { ticketId, agentId: currentAgent(req).id, ...input });
    res.status(201).json({ ticket: await loadTicketDetail(context, ticketId) });
  });
  return router;
}
