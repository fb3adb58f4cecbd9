import type { Job } from "bullmq";
import { CallbackRequest } from "../../entities/CallbackRequest.js";
import { flowUrls } from "../../ivr-flows/urls.js";
import { callbackOutcomeRecorder } from "../commands/callback-outcome-recorder.js";
import { inTransaction } from "../commands/transaction.js";
import type { AppContext } from "../context.js";
import { defineJob } from "./kind.js";

export interface CallbackDialData {
  callbackId: number;
  /** The callback's attempt number this job dials for; another one means the job is stale. */
  attempt: number;
}

/**
 * Places the outbound call of an accepted callback through the Twilio client: Twilio calls the caller and,
 * once answered, fetches the bridge TwiML that dials the accepting agent. A Twilio API error retries with
 * back-off; when the retries are spent the attempt is recorded as failed (the callback is offered again
 * later or given up). A callback already dialled, taken back or finished is left alone.
 */
export const callbackDialJob = defineJob<CallbackDialData>({
  name: "callback-dial",
  queue: "callbacks",
  /** Twilio API trouble: 4 attempts, 3 s doubling (3, 6, 12 s). */
  options: { attempts: 4, backoff: { type: "exponential", delay: 3000 } },
  async handle(context, data, job) {
    const callback = await context.dataSource.getRepository(CallbackRequest).findOneBy({ id: data.callbackId });
    if (!callback || callback.status !== "dialing" || callback.attempts !== data.attempt || callback.outboundCallSid || callback.agentId === null) return;
    let sid: string;
    try {
      ({ sid } = await context.twilio.createCall({
        to: callback.phoneNumber,
        from: context.env.DESK_PHONE_NUMBER,
        url: flowUrls(context.baseUrl).callbackBridge(callback.id, callback.agentId),
        statusCallback: callbackStatusUrl(context, callback.id),
        statusCallbackEvent: ["answered", "completed"],
        // A voicemail or fax that picks up is not the person: the bridge learns it from AnsweredBy and retries later.
        // https://www.twilio.com/docs/voice/answering-machine-detection
        machineDetection: "Enable",
      }));
    } catch (error) {
      if (isLastAttempt(job)) {
        await callbackOutcomeRecorder(context, { callbackId: callback.id, callStatus: "failed", reason: `dial error: ${(error as Error).message}` });
      }
      throw error;
    }
    await inTransaction(context, async (tx) => {
      const updated = await tx.manager.getRepository(CallbackRequest).update({ id: callback.id, status: "dialing", attempts: data.attempt }, { outboundCallSid: sid });
      if (!updated.affected) return;
      if (callback.ticketId !== null) {
        await tx.ticketEvent(callback.ticketId, "callback_dialed", { type: "system" }, { callbackId: callback.id, attempt: data.attempt, callSid: sid, agentId: callback.agentId });
      }
      await tx.record("callback.updated", { callbackId: callback.id });
    });
  },
});

/**
 * Where Twilio reports how the outbound call ended; the Twilio router answers it with
 * callbackOutcomeRecorder (answered → completed; busy, no-answer, failed → retry or give up).
 */
export function callbackStatusUrl(context: Pick<AppContext, "baseUrl">, callbackId: number): string {
  return flowUrls(context.baseUrl).callbackStatus(callbackId);
}

function isLastAttempt(job: Job): boolean {
  return job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
}
