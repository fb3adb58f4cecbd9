import { LessThanOrEqual } from "typeorm";
import { RemoteSession } from "../../entities/RemoteSession.js";
import { Ticket } from "../../entities/Ticket.js";
import { inTransaction } from "../commands/transaction.js";
import type { AppContext } from "../context.js";
import { defineJob, jobNow, type ClockData } from "./kind.js";
import { formatDateTime } from "./messages.js";
import { noticeToAgent } from "./notify.js";

/** A session still `scheduled` this long after its end was not held: it is recorded as missed. */
export const MISSED_SESSION_GRACE_MS = 30 * 60_000;

/**
 * Every five minutes: sessions whose end (plus a grace period) passed while still `scheduled` become
 * `missed`, with a `remote_session_missed` ticket event and a notice to the agent. The conditional update
 * on status and revision makes a repeated scan change nothing.
 */
export const remoteSessionMissedScanJob = defineJob<ClockData>({
  name: "remote-session-missed-scan",
  queue: "remote-sessions",
  everyMs: 5 * 60_000,
  /** The next scan redoes a failed one: one retry. */
  options: { attempts: 2, backoff: { type: "exponential", delay: 10_000 } },
  async handle(context, data) {
    await recordMissedSessions(context, jobNow(data));
  },
});

/** Marks sessions missed at `now`; returns their ids. */
export async function recordMissedSessions(context: AppContext, now: Date): Promise<number[]> {
  const candidates = await context.dataSource.getRepository(RemoteSession).find({
    where: { status: "scheduled", scheduledAt: LessThanOrEqual(new Date(now.getTime() - MISSED_SESSION_GRACE_MS)) },
  });
  const missed: number[] = [];
  for (const session of candidates) {
    const end = session.scheduledAt.getTime() + session.durationMinutes * 60_000;
    if (now.getTime() < end + MISSED_SESSION_GRACE_MS) continue;
    const changed = await inTransaction(context, async (tx) => {
      const updated = await tx.manager.getRepository(RemoteSession).update({ id: session.id, status: "scheduled", revision: session.revision }, { status: "missed", revision: session.revision + 1 });
      if (!updated.affected) return false;
      const ticket = await tx.manager.getRepository(Ticket).findOneByOrFail({ id: session.ticketId });
      await tx.ticketEvent(ticket.id, "remote_session_missed", { type: "system" }, { sessionId: session.id, scheduledAt: session.scheduledAt.toISOString(), revision: session.revision + 1 });
      await noticeToAgent(tx, session.agentId, {
        kind: "remote_session_missed",
        ticketId: ticket.id,
        key: "noticeSessionMissed",
        params: (language) => ({ ticket: ticket.number, time: formatDateTime(session.scheduledAt, language, context.env.BUSINESS_TIMEZONE) }),
      });
      await tx.record("remote_session.changed", { sessionId: session.id, revision: session.revision + 1 });
      return true;
    });
    if (changed) missed.push(session.id);
  }
  return missed;
}
