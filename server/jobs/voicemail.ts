import { Call } from "../../entities/Call.js";
import { CallbackRequest } from "../../entities/CallbackRequest.js";
import { Ticket } from "../../entities/Ticket.js";
import { requestCallbackInTransaction } from "../commands/callback-requester.js";
import { inTransaction } from "../commands/transaction.js";
import { defineJob } from "./kind.js";
import { hasTicketEvent } from "./notify.js";

export interface VoicemailData {
  callId: number;
  ticketId: number | null;
}

/**
 * A caller left a voicemail (outside business hours): the recording goes on the ticket as a
 * `voicemail_received` event and a callback request is queued for the caller's number, keeping the time
 * they called. Once per call: the event and the callback-per-call rule make a second run a no-op.
 */
export const voicemailJob = defineJob<VoicemailData>({
  name: "voicemail",
  queue: "callbacks",
  /** Database hiccups retry: 5 attempts, 2 s doubling. */
  options: { attempts: 5, backoff: { type: "exponential", delay: 2000 } },
  async handle(context, data) {
    await inTransaction(context, async (tx) => {
      const call = await tx.manager.getRepository(Call).findOneBy({ id: data.callId });
      if (!call) return;
      const ticketId = data.ticketId ?? call.ticketId;
      const ticket = ticketId === null ? null : await tx.manager.getRepository(Ticket).findOneBy({ id: ticketId });
      if (ticket) {
        if (await hasTicketEvent(tx.manager, ticket.id, "voicemail_received", { callId: call.id })) return;
        await tx.ticketEvent(ticket.id, "voicemail_received", { type: "caller", id: call.personId }, { callId: call.id, recordingUrl: call.recordingUrl, from: call.fromE164 ?? call.fromNumber });
      }
      // Any callback of this call (even finished) means the voicemail was handled already.
      const handled = await tx.manager.getRepository(CallbackRequest).exists({ where: { callId: call.id } });
      if (call.fromE164 && !handled) {
        await requestCallbackInTransaction(tx, {
          callId: call.id,
          ticketId: ticket?.id ?? null,
          phoneNumber: call.fromE164,
          language: call.language ?? ticket?.language ?? "nl",
          queuedAt: call.queuedAt ?? call.createdAt,
        });
      }
    });
  },
});
