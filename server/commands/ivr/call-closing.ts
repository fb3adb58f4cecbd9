import type { Call } from "../../../entities/Call.js";

/** Outcomes still open: the end of the call decides them; any other outcome (voicemail, callback …) is kept. */
const OPEN_OUTCOMES = new Set(["in_ivr", "queued"]);

/** Seconds between two instants, never negative. */
export function secondsBetween(from: Date | null, to: Date): number | null {
  if (!from) return null;
  return Math.max(0, Math.round((to.getTime() - new Date(from).getTime()) / 1000));
}

/** The caller reached an agent: answered, with the time waited in the queue. */
export function markAnswered(call: Call, now: Date, waitedSeconds: number | null): void {
  // The agent console's accept may already have stamped answeredAt; the wait runs until then.
  call.answeredAt ??= now;
  call.waitSeconds ??= waitedSeconds ?? secondsBetween(call.queuedAt, new Date(call.answeredAt));
  if (OPEN_OUTCOMES.has(call.outcome)) call.outcome = "answered";
}

/** The caller hung up before an agent answered: abandoned (with the time waited when they were queued). */
export function markAbandoned(call: Call, now: Date, waitedSeconds: number | null): void {
  if (!OPEN_OUTCOMES.has(call.outcome)) return;
  if (call.queuedAt) call.waitSeconds = waitedSeconds ?? secondsBetween(call.queuedAt, now);
  call.outcome = "abandoned";
}

/** The call is over: end time once, duration when Twilio reports it. Returns true the first time. */
export function markEnded(call: Call, now: Date, durationSeconds: number | null): boolean {
  if (durationSeconds !== null) call.durationSeconds = durationSeconds;
  if (call.endedAt) return false;
  call.endedAt = now;
  return true;
}
