import { CostConsent } from "../../entities/CostConsent.js";
import { Ticket } from "../../entities/Ticket.js";
import { inTransaction } from "../commands/transaction.js";
import { defineJob } from "./kind.js";
import { formatWhen } from "./messages.js";
import { alertSupervisors, hasTicketEvent, noticeToAgent } from "./notify.js";

export interface ConsentReminderData {
  consentId: number;
}

/** Business days a cost consent may stay pending before the agent is reminded to chase it. */
export const CONSENT_REMINDER_BUSINESS_DAYS = 1;

/**
 * R6: a cost consent still pending after a business day reminds the agent who asked for it (the
 * assignee or supervisors when unknown): the ticket's SLA clocks are paused meanwhile. Once per consent.
 */
export const consentReminderJob = defineJob<ConsentReminderData>({
  name: "consent-reminder",
  queue: "follow-ups",
  /** Database hiccups retry: 5 attempts, 5 s doubling. */
  options: { attempts: 5, backoff: { type: "exponential", delay: 5000 } },
  async handle(context, data) {
    await inTransaction(context, async (tx) => {
      const consent = await tx.manager.getRepository(CostConsent).findOneBy({ id: data.consentId });
      if (!consent || consent.status !== "pending") return;
      if (await hasTicketEvent(tx.manager, consent.ticketId, "consent_reminder", { consentId: consent.id })) return;
      const ticket = await tx.manager.getRepository(Ticket).findOneByOrFail({ id: consent.ticketId });
      const agentId = consent.requestedByAgentId ?? ticket.assigneeId;
      const notice = {
        kind: "consent_pending",
        ticketId: ticket.id,
        key: "noticeConsentPending" as const,
        params: (language: Parameters<typeof formatWhen>[1]) => ({ ticket: ticket.number, date: formatWhen(consent.createdAt, language, context.env.BUSINESS_TIMEZONE).date }),
      };
      if (agentId !== null) await noticeToAgent(tx, agentId, notice);
      else await alertSupervisors(tx, notice);
      await tx.ticketEvent(ticket.id, "consent_reminder", { type: "system" }, { consentId: consent.id, notified: agentId ?? "supervisors" });
    });
  },
});
