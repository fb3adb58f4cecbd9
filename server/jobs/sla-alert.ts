import { UnrecoverableError } from "bullmq";
import type { Language } from "../../entities/enums.js";
import { Ticket } from "../../entities/Ticket.js";
import { inTransaction } from "../commands/transaction.js";
import { defineJob } from "./kind.js";
import { formatDateTime, renderMessage } from "./messages.js";
import { alertSupervisors, hasTicketEvent, noticeToAgent } from "./notify.js";

export type SlaTarget = "first_response" | "resolution";

export interface SlaAlertData {
  ticketId: number;
  target: SlaTarget;
  /** reminder: 75% of the target used; breach: the due time passed. */
  stage: "reminder" | "breach";
  /** The due time the scan saw (ISO); a different one now means the job is stale. */
  dueAt: string;
}

/**
 * R9: the reminder to the assigned agent at 75% of a target (supervisors when nobody is assigned) and
 * the escalation to supervisors at breach, with an `sla_reminder` / `sla_breached` ticket event written
 * once. The scan enqueues it per ticket, target and due time; a job that runs twice writes nothing new.
 */
export const slaAlertJob = defineJob<SlaAlertData>({
  name: "sla-alert",
  queue: "sla",
  /** Database hiccups retry: 5 attempts, 2 s doubling. */
  options: { attempts: 5, backoff: { type: "exponential", delay: 2000 } },
  async handle(context, data) {
    if (data.target !== "first_response" && data.target !== "resolution") throw new UnrecoverableError(`unknown SLA target ${String(data.target)}`);
    await inTransaction(context, async (tx) => {
      const ticket = await tx.manager.getRepository(Ticket).findOneBy({ id: data.ticketId });
      if (!ticket || !stillDue(ticket, data)) return;
      const eventType = data.stage === "breach" ? "sla_breached" : "sla_reminder";
      // A breach is escalated once per target; a reminder once per due time (a pause moves it).
      const match = data.stage === "breach" ? { target: data.target } : { target: data.target, dueAt: data.dueAt };
      if (await hasTicketEvent(tx.manager, ticket.id, eventType, match)) return;

      const due = new Date(data.dueAt);
      const params = (language: Language) => ({
        ticket: ticket.number,
        target: renderMessage(language, data.target === "first_response" ? "targetFirstResponse" : "targetResolution", {}),
        time: formatDateTime(due, language, context.env.BUSINESS_TIMEZONE),
      });
      const toSupervisors = data.stage === "breach" || ticket.assigneeId === null;
      if (data.stage === "breach") {
        await alertSupervisors(tx, { kind: "sla_breached", ticketId: ticket.id, key: "noticeSlaBreached", params });
        if (ticket.assigneeId !== null) await noticeToAgent(tx, ticket.assigneeId, { kind: "sla_breached", ticketId: ticket.id, key: "noticeSlaBreached", params });
      } else if (ticket.assigneeId !== null) {
        await noticeToAgent(tx, ticket.assigneeId, { kind: "sla_reminder", ticketId: ticket.id, key: "noticeSlaReminder", params });
      } else {
        await alertSupervisors(tx, { kind: "sla_at_risk", ticketId: ticket.id, key: "noticeSlaReminder", params });
      }
      await tx.ticketEvent(ticket.id, eventType, { type: "system" }, { ...match, dueAt: data.dueAt, notified: toSupervisors ? "supervisors" : ticket.assigneeId });
    });
  },
});

/** The ticket still has this clock running with this due time, and it is not paused (R6). */
export function stillDue(ticket: Ticket, data: Pick<SlaAlertData, "target" | "dueAt">): boolean {
  if (ticket.status === "resolved" || ticket.status === "closed" || ticket.slaPausedAt !== null) return false;
  const due = data.target === "first_response" ? (ticket.firstRespondedAt ? null : ticket.firstResponseDueAt) : ticket.resolvedAt ? null : ticket.resolutionDueAt;
  return due !== null && due.getTime() === new Date(data.dueAt).getTime();
}
