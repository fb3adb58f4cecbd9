import { In } from "typeorm";
import { FINISHED_TICKET_STATUSES } from "../../entities/enums.js";
import { SlaPolicy } from "../../entities/SlaPolicy.js";
import { Ticket } from "../../entities/Ticket.js";
import { slaMinutesFrom } from "../domain/sla.js";
import type { AppContext } from "../context.js";
import { leanColumns, leanHydrate, leanTable } from "../db/lean.js";
import { defineJob, enqueueFound, jobId, jobNow, type ClockData } from "./kind.js";
import { eventsOnTickets } from "./notify.js";
import { slaAlertJob, type SlaAlertData, type SlaTarget } from "./sla-alert.js";

/** Share of a target after which the assigned agent is reminded (R9: "reminders before breach"). */
export const SLA_REMINDER_SHARE = 0.75;

/** Tickets whose clocks the scan weighs between two yields to the event loop (a webhook waits at most that long). */
const TICKETS_PER_SLICE = 500;

/** What one scan found and enqueued (the job's return value, shown on the board). */
export type SlaScanSummary = {
  remindersDue: number;
  breachesDue: number;
  enqueued: number;
};

/**
 * R9: every minute, finds open tickets whose SLA clock is at 75% of a target or past it and not yet alerted, and
 * enqueues an sla-alert per ticket, target and due time (the job id makes a repeated scan add nothing). Paused clocks
 * (a pending cost consent, R6) are skipped. Alerts already recorded are skipped without weighing their clock, at most
 * FOLLOW_UP_SCAN_LIMIT are enqueued per scan (the longest overdue first, in bulk, behind jobs enqueued by events),
 * and the scan yields to the event loop as it goes: a desk's open tickets run into the tens of thousands, and this
 * runs every minute, possibly in the process that answers the webhooks.
 */
export const slaScanJob = defineJob<ClockData>({
  name: "sla-scan",
  queue: "sla",
  everyMs: 60_000,
  /** A failed scan is simply redone by the next one: one retry. */
  options: { attempts: 2, backoff: { type: "exponential", delay: 5000 } },
  async handle(context, data): Promise<SlaScanSummary> {
    const alerts = await findSlaAlerts(context, jobNow(data));
    const enqueued = alerts.slice(0, context.env.FOLLOW_UP_SCAN_LIMIT);
    await enqueueFound(context, slaAlertJob, enqueued.map((alert) => ({ data: alert, jobId: jobId("sla", alert.stage, alert.ticketId, alert.target, new Date(alert.dueAt).getTime()) })));
    const summary = { remindersDue: alerts.filter((alert) => alert.stage === "reminder").length, breachesDue: alerts.filter((alert) => alert.stage === "breach").length, enqueued: enqueued.length };
    if (alerts.length > enqueued.length) context.logger.warn(summary, "SLA alert backlog: more alerts due than one scan enqueues; the next scans take the rest");
    return summary;
  },
});

const CLOCK_COLUMNS = ["id", "priority", "slaPolicyId", "firstResponseDueAt", "resolutionDueAt", "firstRespondedAt", "resolvedAt"] as const;

/** The reminders and breaches due at `now` and not yet recorded, longest overdue first (the alert job re-checks under its transaction). */
export async function findSlaAlerts(context: AppContext, now: Date): Promise<SlaAlertData[]> {
  const manager = context.dataSource.manager;
  const escape = (name: string) => manager.connection.driver.escape(name);
  // Plain SQL: the clocks of every open ticket, each minute (entity hydration cost more than the clocks themselves).
  const rows = (await manager.query(
    `SELECT ${leanColumns(manager, Ticket, "t", CLOCK_COLUMNS)} FROM ${leanTable(manager, Ticket)} t
     WHERE t.status NOT IN (${FINISHED_TICKET_STATUSES.map(() => "?").join(", ")}) AND t.${escape("slaPausedAt")} IS NULL
       AND ((t.${escape("firstRespondedAt")} IS NULL AND t.${escape("firstResponseDueAt")} IS NOT NULL) OR (t.${escape("resolvedAt")} IS NULL AND t.${escape("resolutionDueAt")} IS NOT NULL))`,
    FINISHED_TICKET_STATUSES,
  )) as Record<string, unknown>[];
  if (rows.length === 0) return [];
  const recorded = await eventsOnTickets(context, ["sla_reminder", "sla_breached"], "ticket.status NOT IN (:...done) AND ticket.slaPausedAt IS NULL", { done: FINISHED_TICKET_STATUSES });
  // A breach is escalated once per target, a reminder once per due time (as the alert job decides).
  const alerted = (ticketId: number, stage: SlaAlertData["stage"], target: SlaTarget, dueAt: string) =>
    recorded.get(`${ticketId}@${stage === "breach" ? "sla_breached" : "sla_reminder"}`)?.some((event) => event.target === target && (stage === "breach" || event.dueAt === dueAt)) ?? false;
  const policyIds = [...new Set(rows.map((row) => row.t__slaPolicyId).filter((id) => id !== null && id !== undefined).map(Number))];
  const policies = new Map((policyIds.length ? await context.dataSource.getRepository(SlaPolicy).findBy({ id: In(policyIds) }) : []).map((policy) => [policy.id, policy]));
  // Every clock is weighed against now: the business time up to each date is summed once per scan, not per clock.
  const minutesUntil = new Map([...policies.values()].map((policy) => [policy.id, slaMinutesFrom(policy, now, context.calendar)]));
  const alerts: SlaAlertData[] = [];
  for (let index = 0; index < rows.length; index++) {
    if (index > 0 && index % TICKETS_PER_SLICE === 0) await new Promise((resolve) => setImmediate(resolve));
    const ticket = leanHydrate(manager, Ticket, "t", rows[index]!, CLOCK_COLUMNS)!;
    const policy = ticket.slaPolicyId === null ? undefined : policies.get(ticket.slaPolicyId);
    const clocks: [SlaTarget, Date | null, number | undefined][] = [
      ["first_response", ticket.firstRespondedAt ? null : ticket.firstResponseDueAt, policy?.targets[ticket.priority]?.firstResponseMinutes],
      ["resolution", ticket.resolvedAt ? null : ticket.resolutionDueAt, policy?.targets[ticket.priority]?.resolutionMinutes],
    ];
    for (const [target, due, targetMinutes] of clocks) {
      if (!due) continue;
      const dueAt = due.toISOString();
      if (now >= due) {
        if (!alerted(ticket.id, "breach", target, dueAt)) alerts.push({ ticketId: ticket.id, target, stage: "breach", dueAt });
      } else if (policy && targetMinutes && !alerted(ticket.id, "reminder", target, dueAt)) {
        const remaining = minutesUntil.get(policy.id)!(due);
        if (remaining <= targetMinutes * (1 - SLA_REMINDER_SHARE)) alerts.push({ ticketId: ticket.id, target, stage: "reminder", dueAt });
      }
    }
  }
  return alerts.sort((a, b) => a.dueAt.localeCompare(b.dueAt) || a.ticketId - b.ticketId);
}
