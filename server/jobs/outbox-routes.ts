import { CallbackRequest } from "../../entities/CallbackRequest.js";
import { Ticket } from "../../entities/Ticket.js";
import { CALLBACK_RETRY_DELAY_MS } from "../commands/callback-outcome-recorder.js";
import type { AppContext } from "../context.js";
import type { OutboxEnvelope, Topic } from "../events/topics.js";
import { callbackDialJob } from "./callback-dial.js";
import { callbackDispatchJob } from "./callback-dispatch.js";
import { complaintFollowUpJob } from "./complaint-follow-up.js";
import { enqueue, jobId } from "./kind.js";
import { planRemoteSessionJobs } from "./remote-session-plan.js";
import { voicemailJob } from "./voicemail.js";

/** Topics that cause jobs. */
export const JOB_TOPICS = ["callback.requested", "callback.updated", "remote_session.changed", "voicemail.recorded", "ticket.event"] as const satisfies readonly Topic[];

/**
 * What each committed outbox message enqueues. Job ids come from the outbox id (or from the entity and its
 * attempt/revision), so a message delivered twice — a relay that stalled past its lease, a failed mark — enqueues once.
 */
export async function enqueueFor(context: AppContext, message: OutboxEnvelope): Promise<void> {
  const fromOutbox = jobId("outbox", message.id);
  switch (message.topic) {
    case "callback.requested": {
      const { callbackId } = message.payload as OutboxEnvelope<"callback.requested">["payload"];
      await enqueue(context, callbackDispatchJob, { callbackId }, { jobId: fromOutbox });
      return;
    }
    case "callback.updated": {
      const { callbackId } = message.payload as OutboxEnvelope<"callback.updated">["payload"];
      const callback = await context.dataSource.getRepository(CallbackRequest).findOneBy({ id: callbackId });
      if (!callback) return;
      if (callback.status === "dialing" && !callback.outboundCallSid) {
        await enqueue(context, callbackDialJob, { callbackId, attempt: callback.attempts }, { jobId: jobId("callback-dial", callbackId, callback.attempts) });
      } else if (callback.status === "pending" && callback.attempts > 0) {
        await enqueue(context, callbackDispatchJob, { callbackId }, { jobId: jobId("callback-retry", callbackId, callback.attempts), delay: CALLBACK_RETRY_DELAY_MS });
      }
      return;
    }
    case "remote_session.changed":
      await planRemoteSessionJobs(context, message.payload as OutboxEnvelope<"remote_session.changed">["payload"]);
      return;
    case "voicemail.recorded": {
      const payload = message.payload as OutboxEnvelope<"voicemail.recorded">["payload"];
      await enqueue(context, voicemailJob, { callId: payload.callId, ticketId: payload.ticketId ?? null }, { jobId: fromOutbox });
      return;
    }
    case "ticket.event": {
      const payload = message.payload as OutboxEnvelope<"ticket.event">["payload"];
      if (payload.type !== "created") return;
      const contactType = payload.contactType ?? (await context.dataSource.getRepository(Ticket).findOne({ where: { id: payload.ticketId }, select: { id: true, contactType: true } }))?.contactType;
      if (contactType === "complaint") await enqueue(context, complaintFollowUpJob, { ticketId: payload.ticketId, stage: "requested" }, { jobId: fromOutbox });
      return;
    }
    default:
      return;
  }
}
