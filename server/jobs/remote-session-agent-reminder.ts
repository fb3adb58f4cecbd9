import { ReferencePerson } from "../../entities/ReferencePerson.js";
import { RemoteSession } from "../../entities/RemoteSession.js";
import { Ticket } from "../../entities/Ticket.js";
import { inTransaction } from "../commands/transaction.js";
import { personName } from "../presenters/customer.js";
import { defineJob } from "./kind.js";
import { formatWhen } from "./messages.js";
import { hasTicketEvent, noticeToAgent } from "./notify.js";

export interface RemoteSessionAgentReminderData {
  sessionId: number;
  /** The session revision this reminder is for; a newer one makes the job stale. */
  revision: number;
}

/**
 * The in-app reminder to the agent ten minutes before a remote session (outbox `agent.notice`), recorded
 * once as `remote_session_agent_reminded`. Stale after a reschedule, cancel or completion.
 */
export const remoteSessionAgentReminderJob = defineJob<RemoteSessionAgentReminderData>({
  name: "remote-session-agent-reminder",
  queue: "remote-sessions",
  /** Database hiccups retry: 3 attempts, 2 s doubling (it is only useful before the session). */
  options: { attempts: 3, backoff: { type: "exponential", delay: 2000 } },
  async handle(context, data) {
    await inTransaction(context, async (tx) => {
      const session = await tx.manager.getRepository(RemoteSession).findOneBy({ id: data.sessionId });
      if (!session || session.status !== "scheduled" || session.revision !== data.revision) return;
      const match = { sessionId: session.id, revision: session.revision };
      if (await hasTicketEvent(tx.manager, session.ticketId, "remote_session_agent_reminded", match)) return;
      const ticket = await tx.manager.getRepository(Ticket).findOneByOrFail({ id: session.ticketId });
      const person = await tx.manager.getRepository(ReferencePerson).findOneBy({ id: session.personId });
      await noticeToAgent(tx, session.agentId, {
        kind: "remote_session_soon",
        ticketId: ticket.id,
        key: "noticeSessionSoon",
        params: (language) => ({
          ticket: ticket.number,
          person: personName(person) ?? "-",
          time: formatWhen(session.scheduledAt, language, context.env.BUSINESS_TIMEZONE).time,
        }),
      });
      await tx.ticketEvent(ticket.id, "remote_session_agent_reminded", { type: "system" }, { ...match, agentId: session.agentId });
    });
  },
});
