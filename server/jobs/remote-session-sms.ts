import { UnrecoverableError } from "bullmq";
import { ReferencePerson } from "../../entities/ReferencePerson.js";
import { RemoteSession } from "../../entities/RemoteSession.js";
import { Ticket } from "../../entities/Ticket.js";
import { inTransaction } from "../commands/transaction.js";
import { sendSmsOnce } from "../twilio/sms-sender.js";
import { defineJob } from "./kind.js";
import { formatWhen, renderMessage, type MessageKey } from "./messages.js";
import { hasTicketEvent } from "./notify.js";
import { smsNumberOf } from "./sms-number.js";

export type SessionSmsMessage = "confirmed" | "rescheduled" | "reminder" | "cancelled";

export interface RemoteSessionSmsData {
  sessionId: number;
  /** The session revision the text is about; a newer one makes this job stale. */
  revision: number;
  message: SessionSmsMessage;
}

const KEYS: Record<SessionSmsMessage, MessageKey> = {
  confirmed: "sessionConfirmed",
  rescheduled: "sessionRescheduled",
  reminder: "sessionReminder",
  cancelled: "sessionCancelled",
};

/** The idempotency key of one text about one revision of one session: a rerun sends nothing new. */
export const sessionSmsKey = (data: RemoteSessionSmsData) => `remote-session-${data.sessionId}-r${data.revision}-${data.message}`;

/**
 * Texts the reference person about their remote session, in their language: the confirmation (or the new
 * time), the reminder an hour before, the cancellation. A job about an older revision does nothing; a
 * person without a mobile number is recorded (`remote_session_sms_skipped`) instead.
 */
export const remoteSessionSmsJob = defineJob<RemoteSessionSmsData>({
  name: "remote-session-sms",
  queue: "remote-sessions",
  /** Twilio trouble: 5 attempts, 5 s doubling. */
  options: { attempts: 5, backoff: { type: "exponential", delay: 5000 } },
  async handle(context, data) {
    if (!(data.message in KEYS)) throw new UnrecoverableError(`unknown session SMS ${String(data.message)}`);
    const session = await context.dataSource.getRepository(RemoteSession).findOneBy({ id: data.sessionId });
    const expected = data.message === "cancelled" ? "cancelled" : "scheduled";
    if (!session || session.revision !== data.revision || session.status !== expected) return;
    const person = await context.dataSource.getRepository(ReferencePerson).findOneBy({ id: session.personId });
    const ticket = await context.dataSource.getRepository(Ticket).findOneByOrFail({ id: session.ticketId });
    const to = person && !person.erasedAt ? await smsNumberOf(context.dataSource.manager, person.id) : null;
    if (!to) {
      await inTransaction(context, async (tx) => {
        if (await hasTicketEvent(tx.manager, ticket.id, "remote_session_sms_skipped", { sessionId: session.id, revision: data.revision, message: data.message })) return;
        await tx.ticketEvent(ticket.id, "remote_session_sms_skipped", { type: "system" }, { sessionId: session.id, revision: data.revision, message: data.message, reason: "no_mobile_number" });
      });
      return;
    }
    const language = person!.language;
    const { date, time } = formatWhen(session.scheduledAt, language, context.env.BUSINESS_TIMEZONE);
    const body = renderMessage(language, KEYS[data.message], { ticket: ticket.number, date, time, minutes: session.durationMinutes });
    const { sent, message } = await sendSmsOnce(context, { idempotencyKey: sessionSmsKey(data), to, body });
    if (!sent) return;
    await inTransaction(context, async (tx) => {
      await tx.ticketEvent(ticket.id, "remote_session_sms_sent", { type: "system" }, { sessionId: session.id, revision: data.revision, message: data.message, smsId: message.id, to });
    });
  },
});
