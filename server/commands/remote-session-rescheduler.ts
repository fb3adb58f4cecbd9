import { RemoteSession } from "../../entities/RemoteSession.js";
import { conflict, notFound } from "../errors/http-error.js";
import { checkSessionTime } from "./remote-session-time.js";
import { calendarOf, inTransaction, type CommandContext } from "./transaction.js";

export interface RemoteSessionReschedulerProps {
  sessionId: number;
  scheduledAt: Date;
  /** Keeps the current duration when absent. */
  durationMinutes?: number;
  /** The agent who moves it. */
  agentId: number;
  now?: Date;
}

/**
 * Moves a scheduled remote session: same time rules as booking, the revision goes up so the jobs of the
 * old time turn stale (and are removed), and the person gets the new time by SMS. A session that is no
 * longer scheduled is a 409.
 */
export async function remoteSessionRescheduler(context: CommandContext, props: RemoteSessionReschedulerProps): Promise<RemoteSession> {
  return inTransaction(context, async (tx) => {
    const repository = tx.manager.getRepository(RemoteSession);
    const session = await repository.findOneBy({ id: props.sessionId });
    if (!session) throw notFound("Remote session");
    if (session.status !== "scheduled") throw conflict("session_finished", `This session is ${session.status}; only a scheduled session can be moved.`, { status: session.status });
    const durationMinutes = props.durationMinutes ?? session.durationMinutes;
    checkSessionTime(calendarOf(context), props.scheduledAt, durationMinutes, props.now ?? new Date());
    const moved = await repository.update(
      { id: session.id, status: "scheduled", revision: session.revision },
      { scheduledAt: props.scheduledAt, durationMinutes, revision: session.revision + 1 },
    );
    if (!moved.affected) throw conflict("session_changed", "This session was changed meanwhile; reload and try again.");
    const from = session.scheduledAt;
    Object.assign(session, { scheduledAt: props.scheduledAt, durationMinutes, revision: session.revision + 1 });
    await tx.ticketEvent(session.ticketId, "remote_session_rescheduled", { type: "agent", id: props.agentId }, {
      sessionId: session.id,
      from: from.toISOString(),
      to: session.scheduledAt.toISOString(),
      durationMinutes,
      revision: session.revision,
    });
    await tx.record("remote_session.changed", { sessionId: session.id, revision: session.revision });
    return session;
  });
}
