import { Router } from "express";
import { z } from "zod";
import { currentAgent, requireRole } from "../../auth/middleware.js";
import { scopeRecorder } from "../../commands/scope-recorder.js";
import { ticketChangesSchema, ticketUpdater } from "../../commands/ticket-updater.js";
import type { AppContext } from "../../context.js";
import { validate } from "../../errors/validation.js";
import { AGENT_ROLES_ALL, idParam } from "./params.js";
import { loadTicketDetail } from "./queries/ticket-detail.js";
import { searchTickets, ticketSearchSchema } from "./queries/ticket-search.js";

const updateSchema = ticketChangesSchema.extend({ note: z.string().max(10_000).nullish() }).strict();

/**
 * Tickets: GET /api/tickets (list and search), GET /api/tickets/:id (detail with events), PATCH /api/tickets/:id
 * (type, priority, product, status, subject, description, assignee, note), POST /api/tickets/:id/notes,
 * PUT /api/tickets/:id/scope (R5 verdict).
 */
export function ticketsRouter(context: AppContext): Router {
  const router = Router();
  router.use("/tickets", requireRole(...AGENT_ROLES_ALL));

  router.get("/tickets", async (req, res) => {
    const search = validate(ticketSearchSchema, req.query);
    res.json(await searchTickets(context.dataSource, search, currentAgent(req).id));
  });

  router.get("/tickets/:id", async (req, res) => {
    res.json({ ticket: await loadTicketDetail(context, idParam(req)) });
  });

  router.patch("/tickets/:id", async (req, res) => {
    const { note, ...changes } = validate(updateSchema, req.body);
    const ticketId = idParam(req);
    await ticketUpdater(context, { ticketId, agentId: currentAgent(req).id, changes, note: note?.trim() ? note : null });
    res.json({ ticket: await loadTicketDetail(context, ticketId) });
  });

  router.post("/tickets/:id/notes", async (req, res) => {
    const { text } = validate(z.object({ text: z.string().trim().min(1, "the note is empty").max(10_000) }).strict(), req.body);
    const ticketId = idParam(req);
    await ticketUpdater(context, { ticketId, agentId: currentAgent(req).id, changes: {}, note: text });
    res.status(201).json({ ticket: await loadTicketDetail(context, ticketId) });
  });

  router.put("/tickets/:id/scope", async (req, res) => {
    const ticketId = idParam(req);
    await scopeRecorder(context, { ticketId, agentId: currentAgent(req).id, verdict: req.body });
    res.json({ ticket: await loadTicketDetail(context, ticketId) });
  });
  return router;
}
