import { RemoteSession } from "../../entities/RemoteSession.js";
import type { RemoteSessionStatus } from "../../entities/enums.js";
import { conflict, notFound } from "../errors/http-error.js";
import { inTransaction, type CommandContext } from "./transaction.js";

export interface RemoteSessionFinisherProps {
  sessionId: number;
  /** cancelled: called off (the person is told by SMS); completed: held. */
  status: Extract<RemoteSessionStatus, "cancelled" | "completed">;
  /** The agent who records it. */
  agentId: number;
}

/**
 * Cancels a scheduled remote session or records it as held. The revision goes up so its reminders turn
 * stale and are removed; a cancel also texts the person. A session already completed, cancelled or
 * missed is a 409 `session_finished` and nothing changes.
 */
export async function remoteSessionFinisher(context: CommandContext, props: RemoteSessionFinisherProps): Promise<RemoteSession> {
  return inTransaction(context, async (tx) => {
    const repository = tx.manager.getRepository(RemoteSession);
    const session = await repository.findOneBy({ id: props.sessionId });
    if (!session) throw notFound("Remote session");
    if (session.status !== "scheduled") {
      throw conflict("session_finished", `This session is already ${session.status}; it cannot be ${props.status} any more.`, { status: session.status });
    }
    const changed = await repository.update({ id: session.id, status: "scheduled", revision: session.revision }, { status: props.status, revision: session.revision + 1 });
    if (!changed.affected) throw conflict("session_changed", "This session was changed meanwhile; reload and try again.");
    Object.assign(session, { status: props.status, revision: session.revision + 1 });
    await tx.ticketEvent(session.ticketId, props.status === "cancelled" ? "remote_session_cancelled" : "remote_session_completed", { type: "agent", id: props.agentId }, {
      sessionId: session.id,
      scheduledAt: session.scheduledAt.toISOString(),
      revision: session.revision,
    });
    await tx.record("remote_session.changed", { sessionId: session.id, revision: session.revision });
    return session;
  });
}
