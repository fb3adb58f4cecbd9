import { Router } from "express";
import { z } from "zod";
import { currentAgent, requireRole } from "../../auth/middleware.js";
import { remoteSessionBooker } from "../../commands/remote-session-booker.js";
import { remoteSessionFinisher } from "../../commands/remote-session-finisher.js";
import { remoteSessionRescheduler } from "../../commands/remote-session-rescheduler.js";
import { SESSION_MINUTES } from "../../commands/remote-session-time.js";
import type { AppContext } from "../../context.js";
import { notFound } from "../../errors/http-error.js";
import { validate } from "../../errors/validation.js";
import { presentRemoteSession } from "../../presenters/remote-session.js";
import { AGENT_ROLES_ALL, idParam } from "./params.js";
import { loadRemoteSessions, ticketExists } from "./queries/remote-sessions.js";

const instant = z.iso.datetime({ offset: true, message: "must be an ISO date-time with its offset, e.g. 2026-03-02T10:00:00+01:00" });
const minutes = z.number().int().min(SESSION_MINUTES.min).max(SESSION_MINUTES.max);

const bookSchema = z.object({ personId: z.number().int().positive(), scheduledAt: instant, durationMinutes: minutes.default(30) }).strict();
const changeSchema = z.union([
  z.object({ scheduledAt: instant, durationMinutes: minutes.optional() }).strict(),
  z.object({ status: z.enum(["cancelled", "completed"]) }).strict(),
]);

/**
 * R7 remote sessions: POST /tickets/:id/remote-sessions (book), PATCH /remote-sessions/:id (move with
 * {scheduledAt}, or {status: cancelled|completed}), GET /tickets/:id/remote-sessions. Errors: 400
 * session_in_past / outside_business_hours / invalid_person, 409 session_finished.
 */
export function remoteSessionsRouter(context: AppContext): Router {
  const router = Router();
  router.use(["/tickets/:id/remote-sessions", "/remote-sessions"], requireRole(...AGENT_ROLES_ALL));

  router.get("/tickets/:id/remote-sessions", async (req, res) => {
    const ticketId = idParam(req);
    if (!(await ticketExists(context.dataSource, ticketId))) throw notFound("Ticket");
    res.json({ sessions: (await loadRemoteSessions(context.dataSource, { ticketId })).map(presentRemoteSession) });
  });

  router.post("/tickets/:id/remote-sessions", async (req, res) => {
    const input = validate(bookSchema, req.body);
    const session = await remoteSessionBooker(context, { ticketId: idParam(req), agentId: currentAgent(req).id, personId: input.personId, scheduledAt: new Date(input.scheduledAt), durationMinutes: input.durationMinutes });
    res.status(201).json({ session: presentRemoteSession((await loadRemoteSessions(context.dataSource, { id: session.id }))[0]!) });
  });

  router.patch("/remote-sessions/:id", async (req, res) => {
    const input = validate(changeSchema, req.body);
    const sessionId = idParam(req);
    const agentId = currentAgent(req).id;
    if ("status" in input) await remoteSessionFinisher(context, { sessionId, agentId, status: input.status });
    else await remoteSessionRescheduler(context, { sessionId, agentId, scheduledAt: new Date(input.scheduledAt), ...(input.durationMinutes ? { durationMinutes: input.durationMinutes } : {}) });
    res.json({ session: presentRemoteSession((await loadRemoteSessions(context.dataSource, { id: sessionId }))[0]!) });
  });

  return router;
}
