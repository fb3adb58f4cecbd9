import { In, LessThanOrEqual, Not } from "typeorm";
import { FINISHED_TICKET_STATUSES } from "../../entities/enums.js";
import { Agent } from "../../entities/Agent.js";
import { CostConsent } from "../../entities/CostConsent.js";
import { Ticket } from "../../entities/Ticket.js";
import { TicketEvent } from "../../entities/TicketEvent.js";
import type { AppContext } from "../context.js";
import { complaintFollowUpDue, complaintFollowUpJob, SUPERVISING_ROLES, type ComplaintFollowUpData } from "./complaint-follow-up.js";
import { CONSENT_REMINDER_BUSINESS_DAYS, consentReminderJob } from "./consent-reminder.js";
import { defineJob, enqueueFound, jobId, jobNow, type ClockData } from "./kind.js";
import { eventsOnTickets } from "./notify.js";
import { waitingFollowUpJob, type WaitingFollowUpData } from "./waiting-follow-up.js";

/**
 * Every five minutes: tickets waiting on the customer (reminder, auto-close notice, auto-close), complaints
 * without a supervisor's follow-up, cost consents still pending. It only enqueues, with job ids that make
 * a repeated scan add nothing; the jobs re-check and write their ticket events once. Follow-ups already done
 * (their event is recorded) are skipped, and at most FOLLOW_UP_SCAN_LIMIT of each kind are enqueued, oldest
 * first, at a lower priority than jobs enqueued by events: a months-old backlog (an import) trickles out over
 * the following scans instead of burying the workers and the calls under hundreds of thousands of jobs.
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
    const limit = context.env.FOLLOW_UP_SCAN_LIMIT;
    const waiting = await findWaitingFollowUps(context, now);
    await enqueueFound(context, waitingFollowUpJob, waiting.slice(0, limit).map((job) => ({ data: { ...job, ...clock }, jobId: jobId("waiting", job.stage, job.ticketId, new Date(job.since).getTime()) })));
    const complaints = await findComplaintFollowUps(context, now);
    await enqueueFound(context, complaintFollowUpJob, complaints.slice(0, limit).map((complaint) => ({ data: { ...complaint, ...clock }, jobId: jobId("complaint", complaint.stage, complaint.ticketId) })));
    const consents = await findPendingConsents(context, now);
    await enqueueFound(context, consentReminderJob, consents.slice(0, limit).map((consentId) => ({ data: { consentId }, jobId: jobId("consent-reminder", consentId) })));
    const enqueued = (due: unknown[]) => Math.min(due.length, limit);
    const summary = {
      waitingDue: waiting.length,
      waitingEnqueued: enqueued(waiting),
      complaintsDue: complaints.length,
      complaintsEnqueued: enqueued(complaints),
      consentsDue: consents.length,
      consentsEnqueued: enqueued(consents),
    };
    // Worth an administrator's eye: a backlog (an import, workers that were down) is being worked off.
    if ([waiting, complaints, consents].some((due) => due.length > limit)) context.logger.warn(summary, "follow-up backlog: more follow-ups due than one scan enqueues; the next scans take the rest");
    return summary;
  },
});

/** Follow-up stages due at `now` and not yet done for tickets waiting on the customer (since their last change), oldest ticket first. */
export async function findWaitingFollowUps(context: AppContext, now: Date): Promise<Omit<WaitingFollowUpData, "now">[]> {
  const days = context.env.FOLLOW_UP_BUSINESS_DAYS;
  const tickets = await context.dataSource.getRepository(Ticket).find({ where: { status: "waiting_on_customer" }, select: { id: true, updatedAt: true }, order: { id: "ASC" } });
  if (tickets.length === 0) return [];
  // Joined in SQL, not listed: with a large desk the waiting tickets run into the hundred thousands, too many ids
  // for one IN (…), and looked up by key, not searched per ticket (that was quadratic and froze the process).
  const events = await eventsOnTickets(context, ["follow_up_reminder", "auto_close_notice"], "ticket.status = :status", { status: "waiting_on_customer" });
  /** The event of this type recorded for this waiting period (the jobs write `since`, the period's start). */
  const recorded = (ticketId: number, type: string, since: string) => events.get(`${ticketId}@${type}`)?.find((data) => String(data.since) === since);
  // Business-day sums cost ~0.1 ms each: decided per date where possible (a large desk has 100,000s of waiting tickets).
  const reminderDue = context.calendar.businessDaysPassed(now, days);
  const noticeDue = context.calendar.businessDaysPassed(now, 2 * days);
  const due: Omit<WaitingFollowUpData, "now">[] = [];
  for (const ticket of tickets) {
    const since = ticket.updatedAt.toISOString();
    if (!recorded(ticket.id, "follow_up_reminder", since) && reminderDue(ticket.updatedAt)) due.push({ ticketId: ticket.id, stage: "reminder", since });
    const notice = recorded(ticket.id, "auto_close_notice", since);
    if (!notice && noticeDue(ticket.updatedAt)) due.push({ ticketId: ticket.id, stage: "auto_close_notice", since });
    if (notice && now >= new Date(String(notice.closesOn))) due.push({ ticketId: ticket.id, stage: "auto_close", since });
  }
  return due;
}

/**
 * Open complaints whose supervisor alert was never sent, or whose follow-up deadline passed with no supervisor
 * acting on them and no overdue alert yet, oldest first.
 */
export async function findComplaintFollowUps(context: AppContext, now: Date): Promise<Omit<ComplaintFollowUpData, "now">[]> {
  const open = { complaint: "complaint", done: FINISHED_TICKET_STATUSES };
  const complaints = await context.dataSource.getRepository(Ticket).find({
    where: { contactType: "complaint", status: Not(In(open.done)) },
    select: { id: true, createdAt: true },
    order: { id: "ASC" },
  });
  if (complaints.length === 0) return [];
  const openComplaint = "ticket.contactType = :complaint AND ticket.status NOT IN (:...done)";
  const events = await eventsOnTickets(context, ["complaint_follow_up_requested", "complaint_follow_up_overdue"], openComplaint, open);
  // The overdue job stands down when a supervisor acted; without this the scan would find those complaints again every time.
  const actedOn = await context.dataSource
    .getRepository(TicketEvent)
    .createQueryBuilder("event")
    .select("DISTINCT event.ticketId", "ticketId")
    .innerJoin(Ticket, "ticket", "ticket.id = event.ticketId")
    .innerJoin(Agent, "agent", "agent.id = event.actorId")
    .where("event.actorType = :agent AND agent.role IN (:...roles)", { agent: "agent", roles: SUPERVISING_ROLES })
    .andWhere(openComplaint, open)
    .getRawMany<{ ticketId: number | string }>();
  const supervised = new Set(actedOn.map((row) => Number(row.ticketId)));
  const seen = (ticketId: number, type: string) => events.has(`${ticketId}@${type}`);
  const due: Omit<ComplaintFollowUpData, "now">[] = [];
  for (const ticket of complaints) {
    if (!seen(ticket.id, "complaint_follow_up_requested")) due.push({ ticketId: ticket.id, stage: "requested" });
    else if (!seen(ticket.id, "complaint_follow_up_overdue") && !supervised.has(ticket.id) && now >= complaintFollowUpDue(context, ticket)) due.push({ ticketId: ticket.id, stage: "overdue" });
  }
  return due;
}

/** Ids of cost consents pending for more than CONSENT_REMINDER_BUSINESS_DAYS. */
export async function findPendingConsents(context: AppContext, now: Date): Promise<number[]> {
  const consents = await context.dataSource.getRepository(CostConsent).find({
    where: { status: "pending", createdAt: LessThanOrEqual(now) },
    select: { id: true, createdAt: true },
    order: { id: "ASC" },
  });
  return consents.filter((consent) => now >= context.calendar.addBusinessDays(consent.createdAt, CONSENT_REMINDER_BUSINESS_DAYS)).map((consent) => consent.id);
}
