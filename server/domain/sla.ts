import type { Priority } from "../../entities/enums.js";
import type { SlaPolicy } from "../../entities/SlaPolicy.js";
import type { BusinessCalendar } from "./business-hours.js";

export interface DueTimes {
  firstResponseDueAt: Date;
  resolutionDueAt: Date;
}

/** `minutes` of SLA time after `start`: business minutes, or plain minutes for a 24/7 policy (R9). */
export function addSlaMinutes(policy: Pick<SlaPolicy, "twentyFourSeven">, start: Date, minutes: number, calendar: BusinessCalendar): Date {
  return policy.twentyFourSeven ? new Date(start.getTime() + minutes * 60_000) : calendar.addBusinessMinutes(start, minutes);
}

/** Minutes between two instants on a clock that never stops (a 24/7 policy). */
const plainMinutesBetween = (from: Date, to: Date) => Math.max(0, Math.round((to.getTime() - from.getTime()) / 60_000));

/** `to => slaMinutesBetween(policy, from, to, calendar)` for many `to` after one `from` (see businessMinutesFrom). */
export function slaMinutesFrom(policy: Pick<SlaPolicy, "twentyFourSeven">, from: Date, calendar: BusinessCalendar): (to: Date) => number {
  return policy.twentyFourSeven ? (to) => plainMinutesBetween(from, to) : calendar.businessMinutesFrom(from);
}

/** SLA minutes elapsed between two instants under the policy's clock. */
export function slaMinutesBetween(policy: Pick<SlaPolicy, "twentyFourSeven">, from: Date, to: Date, calendar: BusinessCalendar): number {
  return policy.twentyFourSeven ? plainMinutesBetween(from, to) : calendar.businessMinutesBetween(from, to);
}

/** R9: first-response and resolution due times of a ticket of this priority opened at `openedAt`. */
export function computeDueTimes(policy: Pick<SlaPolicy, "twentyFourSeven" | "targets">, priority: Priority, openedAt: Date, calendar: BusinessCalendar): DueTimes {
  const target = policy.targets[priority];
  if (!target) throw new Error(`SLA policy has no target for priority ${priority}`);
  return {
    firstResponseDueAt: addSlaMinutes(policy, openedAt, target.firstResponseMinutes, calendar),
    resolutionDueAt: addSlaMinutes(policy, openedAt, target.resolutionMinutes, calendar),
  };
}

/**
 * Due times after a pause (pending cost consent, R6): pushed later by the SLA time the pause lasted,
 * so the clock resumes where it stopped.
 */
export function shiftDueTimesForPause(
  policy: Pick<SlaPolicy, "twentyFourSeven">,
  due: { firstResponseDueAt: Date | null; resolutionDueAt: Date | null },
  pausedAt: Date,
  resumedAt: Date,
  calendar: BusinessCalendar,
): { firstResponseDueAt: Date | null; resolutionDueAt: Date | null } {
  const paused = slaMinutesBetween(policy, pausedAt, resumedAt, calendar);
  // A deadline already missed before the pause stays missed.
  const shift = (at: Date | null) => (at && at > pausedAt ? addSlaMinutes(policy, at, paused, calendar) : at);
  return { firstResponseDueAt: shift(due.firstResponseDueAt), resolutionDueAt: shift(due.resolutionDueAt) };
}
