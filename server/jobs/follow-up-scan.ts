import { In, LessThanOrEqual, Not } from "typeorm";
import { CostConsent } from "../../entities/CostConsent.js";
import { Ticket } from "../../entities/Ticket.js";
import { TicketEvent } from "../../entities/TicketEvent.js";
import type { AppContext } from "../context.js";
import { complaintFollowUpDue, complaintFollowUpJob, type ComplaintFollowUpData } from "./complaint-follow-up.js";
import { CONSENT_REMINDER_BUSINESS_DAYS, consentReminderJob } from "./consent-reminder.js";
import { defineJob, enqueue, jobId, jobNow, type ClockData } from "./kind.js";
import { waitingFollowUpJob, type WaitingFollowUpData } from "./waiting-follow-up.js";

/**
 * Every five minutes: tickets waiting on the customer (reminder, auto-close notice, auto-close), complaints
 * without a supervisor's follow-up, cost consents still pending. It only enqueues, with job ids that make
 * a repeated scan add nothing; the jobs re-check and write their ticket events once.
 */
export const followUpScanJob = defineJob<ClockData>({
  name: "follow-up-scan",
  queue: "follow-ups",
  everyMs: 5 * 60_000,
  /** A failed scan is redone by the next one: one retry. */
  options: { attempts: 2, backoff: { type: "exponential", delay: 10_000 } },
  async handle(context, data) {
    const now = jobNow(data);
    const clock = data.now ? { now: data.now } : {};
    for (const job of await findWaitingFollowUps(context, now)) {
      await enqueue(context, waitingFollowUpJob, { ...job, ...clock }, { jobId: jobId("waiting", job.stage, job.ticketId, new Date(job.since).getTime()) });
    }
    for (const complaint of await findComplaintFollowUps(context, now)) {
      await enqueue(context, complaintFollowUpJob, { ...complaint, ...clock }, { jobId: jobId("complaint", complaint.stage, complaint.ticketId) });
    }
    for (const consentId of await findPendingConsents(context, now)) {
      await enqueue(context, consentReminderJob, { consentId }, { jobId: jobId("consent-reminder", consentId) });
    }
  },
});

/** Follow-up stages due at `now` for tickets waiting on the customer (since their last change). */
export async function findWaitingFollowUps(context: AppContext, now: Date): Promise<Omit<WaitingFollowUpData, "now">[]> {
  const days = context.env.FOLLOW_UP_BUSINESS_DAYS;
  const tickets = await context.dataSource.getRepository(Ticket).find({ where: { status: "waiting_on_customer" }, select: { id: true, updatedAt: true } });
  if (tickets.length === 0) return [];
  // Joined in SQL, not listed: with a large desk the waiting tickets run into the hundred thousands, too many ids
  // for one IN (…), and looked up by key, not searched per ticket (that was quadratic and froze the process).
  const notices = await context.dataSource
    .getRepository(TicketEvent)
    .createQueryBuilder("event")
    .innerJoin(Ticket, "ticket", "ticket.id = event.ticketId")
    .where("event.type = :type AND ticket.status = :status", { type: "auto_close_notice", status: "waiting_on_customer" })
    .getMany();
  const noticeFor = new Map<string, TicketEvent>();
  for (const notice of notices) {
    const key = `${notice.ticketId}@${String(notice.data?.since)}`;
    if (!noticeFor.has(key)) noticeFor.set(key, notice);
  }
  // Business-day sums cost ~0.1 ms each: decided per date where possible (a large desk has 100,000s of waiting tickets).
  const reminderDue = context.calendar.businessDaysPassed(now, days);
  const noticeDue = context.calendar.businessDaysPassed(now, 2 * days);
  const due: Omit<WaitingFollowUpData, "now">[] = [];
  for (const ticket of tickets) {
    const since = ticket.updatedAt.toISOString();
    if (reminderDue(ticket.updatedAt)) due.push({ ticketId: ticket.id, stage: "reminder", since });
    if (noticeDue(ticket.updatedAt)) due.push({ ticketId: ticket.id, stage: "auto_close_notice", since });
    const notice = noticeFor.get(`${ticket.id}@${since}`);
    if (notice && now >= new Date(String(notice.data?.closesOn))) due.push({ ticketId: ticket.id, stage: "auto_close", since });
  }
  return due;
}

/** Open complaints whose supervisor alert was never sent, or whose follow-up deadline passed. */
export async function findComplaintFollowUps(context: AppContext, now: Date): Promise<Omit<ComplaintFollowUpData, "now">[]> {
  const complaints = await context.dataSource.getRepository(Ticket).find({
    where: { contactType: "complaint", status: Not(In(["resolved", "closed"])) },
    select: { id: true, createdAt: true },
  });
  if (complaints.length === 0) return [];
  // Joined and looked up by key, as the waiting tickets above.
  const events = await context.dataSource
    .getRepository(TicketEvent)
    .createQueryBuilder("event")
    .select(["event.ticketId", "event.type"])
    .innerJoin(Ticket, "ticket", "ticket.id = event.ticketId")
    .where("event.type IN (:...types)", { types: ["complaint_follow_up_requested", "complaint_follow_up_overdue"] })
    .andWhere("ticket.contactType = :complaint AND ticket.status NOT IN (:...done)", { complaint: "complaint", done: ["resolved", "closed"] })
    .getMany();
  const recorded = new Set(events.map((event) => `${event.ticketId}@${event.type}`));
  const seen = (ticketId: number, type: string) => recorded.has(`${ticketId}@${type}`);
  const due: Omit<ComplaintFollowUpData, "now">[] = [];
  for (const ticket of complaints) {
    if (!seen(ticket.id, "complaint_follow_up_requested")) due.push({ ticketId: ticket.id, stage: "requested" });
    else if (!seen(ticket.id, "complaint_follow_up_overdue") && now >= complaintFollowUpDue(context, ticket)) due.push({ ticketId: ticket.id, stage: "overdue" });
  }
  return due;
}

/** Ids of cost consents pending for more than CONSENT_REMINDER_BUSINESS_DAYS. */
export async function findPendingConsents(context: AppContext, now: Date): Promise<number[]> {
  const consents = await context.dataSource.getRepository(CostConsent).find({
    where: { status: "pending", createdAt: LessThanOrEqual(now) },
    select: { id: true, createdAt: true },
  });
  return consents.filter((consent) => now >= context.calendar.addBusinessDays(consent.createdAt, CONSENT_REMINDER_BUSINESS_DAYS)).map((consent) => consent.id);
}
