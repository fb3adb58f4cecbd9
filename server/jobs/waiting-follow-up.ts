import { UnrecoverableError } from "bullmq";
import type { Language } from "../../entities/enums.js";
import { ReferencePerson } from "../../entities/ReferencePerson.js";
import { Ticket } from "../../entities/Ticket.js";
import { TicketEvent } from "../../entities/TicketEvent.js";
import { inTransaction } from "../commands/transaction.js";
import type { AppContext } from "../context.js";
import { sendSmsOnce } from "../twilio/sms-sender.js";
import { defineJob, jobNow, type ClockData } from "./kind.js";
import { formatWhen, renderMessage } from "./messages.js";
import { alertSupervisors, hasTicketEvent, noticeToAgent } from "./notify.js";
import { smsNumberOf } from "./sms-number.js";

export interface WaitingFollowUpData extends ClockData {
  ticketId: number;
  /**
   * reminder: the agent follows up after FOLLOW_UP_BUSINESS_DAYS; auto_close_notice: the customer is told
   * (SMS) after twice that; auto_close: the ticket closes that many business days after the notice.
   */
  stage: "reminder" | "auto_close_notice" | "auto_close";
  /** Start of the waiting period the scan saw (the ticket's last change, ISO); another one means stale. */
  since: string;
}

/** Follow-up of tickets waiting on the customer: reminder, auto-close notice, auto-close; each once per waiting period. */
export const waitingFollowUpJob = defineJob<WaitingFollowUpData>({
  name: "waiting-follow-up",
  queue: "follow-ups",
  /** SMS and database trouble retry: 5 attempts, 10 s doubling. */
  options: { attempts: 5, backoff: { type: "exponential", delay: 10_000 } },
  async handle(context, data) {
    const ticket = await context.dataSource.getRepository(Ticket).findOneBy({ id: data.ticketId });
    if (!ticket || ticket.status !== "waiting_on_customer" || ticket.updatedAt.getTime() !== new Date(data.since).getTime()) return;
    if (data.stage === "reminder") return remind(context, ticket, data);
    if (data.stage === "auto_close_notice") return noticeCustomer(context, ticket, data);
    if (data.stage === "auto_close") return autoClose(context, ticket, data);
    throw new UnrecoverableError(`unknown follow-up stage ${String(data.stage)}`);
  },
});

async function remind(context: AppContext, ticket: Ticket, data: WaitingFollowUpData) {
  await inTransaction(context, async (tx) => {
    if (await hasTicketEvent(tx.manager, ticket.id, "follow_up_reminder", { since: data.since })) return;
    const notice = { kind: "follow_up_due", ticketId: ticket.id, key: "noticeWaitingFollowUp" as const, params: { ticket: ticket.number, days: context.env.FOLLOW_UP_BUSINESS_DAYS } };
    if (ticket.assigneeId !== null) await noticeToAgent(tx, ticket.assigneeId, notice);
    else await alertSupervisors(tx, notice);
    await tx.ticketEvent(ticket.id, "follow_up_reminder", { type: "system" }, { since: data.since, days: context.env.FOLLOW_UP_BUSINESS_DAYS });
  });
}

async function noticeCustomer(context: AppContext, ticket: Ticket, data: WaitingFollowUpData) {
  if (await hasTicketEvent(context.dataSource.manager, ticket.id, "auto_close_notice", { since: data.since })) return;
  const now = jobNow(data);
  const closesOn = context.calendar.addBusinessDays(now, context.env.FOLLOW_UP_BUSINESS_DAYS);
  const person = ticket.reporterId === null ? null : await context.dataSource.getRepository(ReferencePerson).findOneBy({ id: ticket.reporterId });
  const to = person && !person.erasedAt ? await smsNumberOf(context.dataSource.manager, person.id) : null;
  let smsId: number | null = null;
  if (to) {
    const language: Language = person?.language ?? ticket.language;
    const body = renderMessage(language, "autoCloseNotice", { ticket: ticket.number, date: formatWhen(closesOn, language, context.env.BUSINESS_TIMEZONE).date });
    // The SMS goes first (at most once per key); the event after it marks the stage done.
    smsId = (await sendSmsOnce(context, { idempotencyKey: `ticket-${ticket.id}-auto-close-notice-${new Date(data.since).getTime()}`, to, body })).message.id;
  }
  await inTransaction(context, async (tx) => {
    if (await hasTicketEvent(tx.manager, ticket.id, "auto_close_notice", { since: data.since })) return;
    await tx.ticketEvent(ticket.id, "auto_close_notice", { type: "system" }, { since: data.since, closesOn: closesOn.toISOString(), smsId, ...(to ? {} : { smsSkipped: "no_mobile_number" }) });
  });
}

async function autoClose(context: AppContext, ticket: Ticket, data: WaitingFollowUpData) {
  const now = jobNow(data);
  await inTransaction(context, async (tx) => {
    const notices = await tx.manager.getRepository(TicketEvent).find({ where: { ticketId: ticket.id, type: "auto_close_notice" } });
    const notice = notices.find((event) => event.data?.since === data.since);
    if (!notice || now < new Date(String(notice.data?.closesOn))) return;
    const closed = await tx.manager.getRepository(Ticket).update({ id: ticket.id, status: "waiting_on_customer" }, { status: "closed", closedAt: now });
    if (!closed.affected) return;
    await tx.ticketEvent(ticket.id, "auto_closed", { type: "system" }, { from: "waiting_on_customer", to: "closed", since: data.since });
    if (ticket.assigneeId !== null) await noticeToAgent(tx, ticket.assigneeId, { kind: "ticket_auto_closed", ticketId: ticket.id, key: "noticeTicketAutoClosed", params: { ticket: ticket.number } });
  });
}
