import { In, IsNull, Not } from "typeorm";
import { SlaPolicy } from "../../entities/SlaPolicy.js";
import { Ticket } from "../../entities/Ticket.js";
import { slaMinutesBetween } from "../domain/sla.js";
import type { AppContext } from "../context.js";
import { defineJob, enqueue, jobId, jobNow, type ClockData } from "./kind.js";
import { slaAlertJob, type SlaAlertData, type SlaTarget } from "./sla-alert.js";

/** Share of a target after which the assigned agent is reminded (R9: "reminders before breach"). */
export const SLA_REMINDER_SHARE = 0.75;

/**
 * R9: every minute, finds open tickets whose SLA clock is at 75% of a target or past it and enqueues an
 * sla-alert per ticket, target and due time (the job id makes a repeated scan add nothing). Paused
 * clocks (a pending cost consent, R6) are skipped.
 */
export const slaScanJob = defineJob<ClockData>({
  name: "sla-scan",
  queue: "sla",
  everyMs: 60_000,
  /** A failed scan is simply redone by the next one: one retry. */
  options: { attempts: 2, backoff: { type: "exponential", delay: 5000 } },
  async handle(context, data) {
    for (const alert of await findSlaAlerts(context, jobNow(data))) {
      await enqueue(context, slaAlertJob, alert, { jobId: jobId("sla", alert.stage, alert.ticketId, alert.target, new Date(alert.dueAt).getTime()) });
    }
  },
});

/** The reminders and breaches due at `now` (pure read; the alert job re-checks under its transaction). */
export async function findSlaAlerts(context: AppContext, now: Date): Promise<SlaAlertData[]> {
  const tickets = await context.dataSource.getRepository(Ticket).find({
    where: [
      { status: Not(In(["resolved", "closed"])), slaPausedAt: IsNull(), firstRespondedAt: IsNull(), firstResponseDueAt: Not(IsNull()) },
      { status: Not(In(["resolved", "closed"])), slaPausedAt: IsNull(), resolvedAt: IsNull(), resolutionDueAt: Not(IsNull()) },
    ],
    select: { id: true, priority: true, slaPolicyId: true, firstResponseDueAt: true, resolutionDueAt: true, firstRespondedAt: true, resolvedAt: true },
  });
  const policyIds = [...new Set(tickets.map((ticket) => ticket.slaPolicyId).filter((id): id is number => id !== null))];
  const policies = new Map((policyIds.length ? await context.dataSource.getRepository(SlaPolicy).findBy({ id: In(policyIds) }) : []).map((policy) => [policy.id, policy]));
  const alerts: SlaAlertData[] = [];
  for (const ticket of tickets) {
    const policy = ticket.slaPolicyId === null ? undefined : policies.get(ticket.slaPolicyId);
    const clocks: [SlaTarget, Date | null, number | undefined][] = [
      ["first_response", ticket.firstRespondedAt ? null : ticket.firstResponseDueAt, policy?.targets[ticket.priority]?.firstResponseMinutes],
      ["resolution", ticket.resolvedAt ? null : ticket.resolutionDueAt, policy?.targets[ticket.priority]?.resolutionMinutes],
    ];
    for (const [target, due, targetMinutes] of clocks) {
      if (!due) continue;
      const dueAt = due.toISOString();
      if (now >= due) {
        alerts.push({ ticketId: ticket.id, target, stage: "breach", dueAt });
      } else if (policy && targetMinutes) {
        const remaining = slaMinutesBetween(policy, now, due, context.calendar);
        if (remaining <= targetMinutes * (1 - SLA_REMINDER_SHARE)) alerts.push({ ticketId: ticket.id, target, stage: "reminder", dueAt });
      }
    }
  }
  return alerts;
}
