import type { BusinessCalendar } from "../domain/business-hours.js";
import { badRequest } from "../errors/http-error.js";

/** Shortest and longest remote session an agent can book. */
export const SESSION_MINUTES = { min: 15, max: 240 } as const;

/**
 * R7: a remote session starts in the future and lies wholly within one opening window of the desk
 * (business hours, Belgian holidays excluded). Otherwise a 400 that says which rule and names the field.
 */
export function checkSessionTime(calendar: BusinessCalendar, scheduledAt: Date, durationMinutes: number, now: Date): void {
  if (Number.isNaN(scheduledAt.getTime())) throw badRequest("invalid_scheduled_at", "The session time is not a valid date and time.", { field: "scheduledAt" });
  if (!Number.isInteger(durationMinutes) || durationMinutes < SESSION_MINUTES.min || durationMinutes > SESSION_MINUTES.max) {
    throw badRequest("invalid_duration", `A session lasts ${SESSION_MINUTES.min} to ${SESSION_MINUTES.max} minutes.`, { field: "durationMinutes" });
  }
  if (scheduledAt.getTime() <= now.getTime()) {
    throw badRequest("session_in_past", "A remote session cannot be booked in the past: choose a later time.", { field: "scheduledAt" });
  }
  const window = calendar.windowOn(calendar.localDate(scheduledAt));
  const end = new Date(scheduledAt.getTime() + durationMinutes * 60_000);
  if (!window || scheduledAt < window.start || end > window.end) {
    const { opensAt, closesAt, timeZone } = calendar.settings;
    throw badRequest(
      "outside_business_hours",
      `A remote session must start and end within business hours (${opensAt}–${closesAt} ${timeZone}, on business days, public holidays excluded).`,
      { field: "scheduledAt" },
    );
  }
}
