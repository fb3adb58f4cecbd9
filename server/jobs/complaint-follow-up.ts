import { In } from "typeorm";
import { Agent } from "../../entities/Agent.js";
import type { AgentRole } from "../../entities/enums.js";
import { Ticket } from "../../entities/Ticket.js";
import { TicketEvent } from "../../entities/TicketEvent.js";
import { inTransaction } from "../commands/transaction.js";
import type { AppContext } from "../context.js";
import { defineJob, jobNow, type ClockData } from "./kind.js";
import { formatDateTime } from "./messages.js";
import { alertSupervisors, hasTicketEvent } from "./notify.js";

export interface ComplaintFollowUpData extends ClockData {
  ticketId: number;
  /** requested: supervisors are told a complaint came in; overdue: nobody followed up within a business day. */
  stage: "requested" | "overdue";
}

/** Roles whose action on a complaint counts as its follow-up. */
export const SUPERVISING_ROLES: AgentRole[] = ["supervisor", "admin"];

/** Business days within which a supervisor follows up a complaint. */
export const COMPLAINT_FOLLOW_UP_BUSINESS_DAYS = 1;

/**
 * Complaints are followed up by a supervisor within one business day: an alert when the complaint is
 * opened (with its deadline, recorded as `complaint_follow_up_requested`) and a second one when the
 * deadline passed without any supervisor acting on the ticket (`complaint_follow_up_overdue`), each once.
 */
export const complaintFollowUpJob = defineJob<ComplaintFollowUpData>({
  name: "complaint-follow-up",
  queue: "follow-ups",
  /** Database hiccups retry: 5 attempts, 5 s doubling. */
  options: { attempts: 5, backoff: { type: "exponential", delay: 5000 } },
  async handle(context, data) {
    const now = jobNow(data);
    await inTransaction(context, async (tx) => {
      const ticket = await tx.manager.getRepository(Ticket).findOneBy({ id: data.ticketId });
      if (!ticket || ticket.contactType !== "complaint" || ticket.status === "resolved" || ticket.status === "closed") return;
      if (data.stage === "requested") {
        if (await hasTicketEvent(tx.manager, ticket.id, "complaint_follow_up_requested")) return;
        const dueAt = complaintFollowUpDue(context, ticket);
        await alertSupervisors(tx, { kind: "complaint", ticketId: ticket.id, key: "alertComplaint", params: (language) => ({ ticket: ticket.number, time: formatDateTime(dueAt, language, context.env.BUSINESS_TIMEZONE) }) });
        await tx.ticketEvent(ticket.id, "complaint_follow_up_requested", { type: "system" }, { dueAt: dueAt.toISOString() });
        return;
      }
      const dueAt = complaintFollowUpDue(context, ticket);
      if (now < dueAt || (await hasTicketEvent(tx.manager, ticket.id, "complaint_follow_up_overdue"))) return;
      if (await supervisorActed(context, ticket)) return;
      await alertSupervisors(tx, { kind: "complaint_overdue", ticketId: ticket.id, key: "alertComplaintOverdue", params: (language) => ({ ticket: ticket.number, time: formatDateTime(dueAt, language, context.env.BUSINESS_TIMEZONE) }) });
      await tx.ticketEvent(ticket.id, "complaint_follow_up_overdue", { type: "system" }, { dueAt: dueAt.toISOString() });
    });
  },
});

/** One business day after the complaint was opened. */
export function complaintFollowUpDue(context: AppContext, ticket: Pick<Ticket, "createdAt">): Date {
  return context.calendar.addBusinessDays(ticket.createdAt, COMPLAINT_FOLLOW_UP_BUSINESS_DAYS);
}

/** True when a supervisor or administrator did anything on the ticket (any event they are the actor of). */
export async function supervisorActed(context: AppContext, ticket: Pick<Ticket, "id">): Promise<boolean> {
  const events = await context.dataSource.getRepository(TicketEvent).find({ where: { ticketId: ticket.id, actorType: "agent" }, select: { actorId: true } });
  const actorIds = [...new Set(events.map((event) => event.actorId).filter((id): id is number => id !== null))];
  if (actorIds.length === 0) return false;
  return (await context.dataSource.getRepository(Agent).count({ where: { id: In(actorIds), role: In(SUPERVISING_ROLES) } })) > 0;
}
