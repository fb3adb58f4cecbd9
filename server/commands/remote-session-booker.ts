import { ReferencePerson } from "../../entities/ReferencePerson.js";
import { RemoteSession } from "../../entities/RemoteSession.js";
import { Ticket } from "../../entities/Ticket.js";
import { badRequest, conflict, notFound } from "../errors/http-error.js";
import { checkSessionTime } from "./remote-session-time.js";
import { calendarOf, inTransaction, type CommandContext } from "./transaction.js";

export interface RemoteSessionBookerProps {
  ticketId: number;
  /** The reference person the session is with: one of the ticket customer's. */
  personId: number;
  /** The agent who books and holds the session. */
  agentId: number;
  scheduledAt: Date;
  durationMinutes: number;
  /** Defaults to the wall clock; tests pass their own. */
  now?: Date;
}

/**
 * R7: books a remote session with a reference person. The time must be in the future and within business
 * hours; the person must belong to the ticket's customer. `remote_session.changed` (revision 1) makes the
 * jobs send the SMS confirmation and schedule the reminders; nothing is stored when a check fails.
 */
export async function remoteSessionBooker(context: CommandContext, props: RemoteSessionBookerProps): Promise<RemoteSession> {
  checkSessionTime(calendarOf(context), props.scheduledAt, props.durationMinutes, props.now ?? new Date());
  return inTransaction(context, async (tx) => {
    const ticket = await tx.manager.getRepository(Ticket).findOneBy({ id: props.ticketId });
    if (!ticket) throw notFound("Ticket");
    if (ticket.status === "resolved" || ticket.status === "closed") {
      throw conflict("ticket_closed", `Ticket ${ticket.number} is ${ticket.status}; reopen it before booking a session.`);
    }
    const person = await tx.manager.getRepository(ReferencePerson).findOneBy({ id: props.personId });
    if (!person || person.customerId !== ticket.customerId || !person.active || person.erasedAt) {
      throw badRequest("invalid_person", "The session must be with an active reference person of the ticket's customer.", { field: "personId" });
    }
    const repository = tx.manager.getRepository(RemoteSession);
    const session = await repository.save(
      repository.create({
        ticketId: ticket.id,
        personId: person.id,
        agentId: props.agentId,
        scheduledAt: props.scheduledAt,
        durationMinutes: props.durationMinutes,
        status: "scheduled",
        revision: 1,
        notes: null,
      }),
    );
    await tx.ticketEvent(ticket.id, "remote_session_booked", { type: "agent", id: props.agentId }, {
      sessionId: session.id,
      personId: person.id,
      scheduledAt: session.scheduledAt.toISOString(),
      durationMinutes: session.durationMinutes,
    });
    await tx.record("remote_session.changed", { sessionId: session.id, revision: session.revision });
    return session;
  });
}
