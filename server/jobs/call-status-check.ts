import { Between, IsNull, Not } from "typeorm";
import { Call } from "../../entities/Call.js";
import { CallbackRequest } from "../../entities/CallbackRequest.js";
import { callbackOutcomeRecorder } from "../commands/callback-outcome-recorder.js";
import { callStatusRecorder } from "../commands/ivr/call-status-recorder.js";
import type { AppContext } from "../context.js";
import { withDeadline } from "../deadline.js";
import { isFinalCallStatus } from "../twilio/client.js";
import { defineJob, jobNow, type ClockData } from "./kind.js";

/** A call not over this long after it began is looked up at Twilio (no IVR, queue or conversation is that short). */
export const CALL_CHECK_AFTER_MS = 5 * 60_000;

/**
 * Calls begun longer ago are not looked up any more: Twilio ends every call after four hours at most, so an older
 * one was looked up for hours already (Twilio had no such call, or could not be reached all that time). Without a
 * bound such calls would stay first in line and hold up the check of every newer one.
 */
export const CALL_CHECK_UNTIL_MS = 6 * 3600_000;

/** Calls looked up per check, oldest first: the next check takes the rest. */
export const CALLS_PER_CHECK = 100;

/** How long one lookup may take before Twilio counts as unreachable for this call. */
const LOOKUP_TIMEOUT_MS = 10_000;

/** What one check found (the job's return value, shown on the board); callbacks' outbound calls count with the calls. */
export type CallStatusCheckSummary = {
  /** Calls Twilio answered for. */
  checked: number;
  /** Over at Twilio, now ended here as their status callback would have. */
  ended: number;
  /** Of those, outbound calls of callbacks (the callback recorded as done, or offered again). */
  callbacksEnded: number;
  /** Still going at Twilio. */
  live: number;
  /** Twilio has no such call (never placed through this account): left as they are, logged. */
  unknown: number;
  /** The lookup failed (Twilio unreachable, timeout): the next check asks again. */
  failed: number;
};

/**
 * Every two minutes: the calls that are not over here some minutes after they began are looked up at Twilio, and
 * those Twilio says are over are ended as their status callback would have ended them (abandoned when the caller
 * was still in the IVR or queue, pops closed, the supervisor's figures corrected). Twilio does not retry a status
 * callback that fails (the desk was down or restarting as the caller hung up), and without this such a call would
 * be shown waiting for hours. The outbound calls of callbacks still `dialing` are looked up the same way: without
 * their status callback the callback would never be done or offered again, and its agent would stay on call.
 */
export const callStatusCheckJob = defineJob<ClockData>({
  name: "call-status-check",
  // The queue of the desk's telephony work (callback dialling); a lookup is a Twilio REST call like those.
  queue: "callbacks",
  everyMs: 2 * 60_000,
  /** A failed lookup is only counted (the next check asks again); a check that fails (the database) is retried once. */
  options: { attempts: 2, backoff: { type: "exponential", delay: 10_000 } },
  async handle(context, data) {
    return checkUnfinishedCalls(context, jobNow(data));
  },
});

/**
 * Looks up the calls not over at `now` (begun between CALL_CHECK_UNTIL_MS and CALL_CHECK_AFTER_MS before) and the
 * callbacks dialling as long, and ends those Twilio says are over.
 */
export async function checkUnfinishedCalls(context: AppContext, now: Date): Promise<CallStatusCheckSummary> {
  const begunInWindow = Between(new Date(now.getTime() - CALL_CHECK_UNTIL_MS), new Date(now.getTime() - CALL_CHECK_AFTER_MS));
  const calls = await context.dataSource.getRepository(Call).find({
    where: { endedAt: IsNull(), createdAt: begunInWindow },
    select: { id: true, callSid: true },
    order: { createdAt: "ASC", id: "ASC" },
    take: CALLS_PER_CHECK,
  });
  const callbacks = await context.dataSource.getRepository(CallbackRequest).find({
    // A dialling callback's row last changed when its call was placed.
    where: { status: "dialing", outboundCallSid: Not(IsNull()), updatedAt: begunInWindow },
    select: { id: true, outboundCallSid: true },
    order: { updatedAt: "ASC", id: "ASC" },
    take: CALLS_PER_CHECK,
  });
  const summary: CallStatusCheckSummary = { checked: 0, ended: 0, callbacksEnded: 0, live: 0, unknown: 0, failed: 0 };
  /** Twilio's record of one call, counted; undefined when it could not be had or the call is not over there. */
  const overAtTwilio = async (callSid: string, about: Record<string, unknown>) => {
    let record;
    try {
      record = await withDeadline(context.twilio.fetchCall(callSid), LOOKUP_TIMEOUT_MS, `Twilio lookup of call ${callSid}`);
    } catch (error) {
      summary.failed++;
      context.logger.warn({ err: error, callSid, ...about }, "call status check: Twilio lookup failed; the next check asks again");
      return undefined;
    }
    summary.checked++;
    if (!record) {
      summary.unknown++;
      context.logger.warn({ callSid, ...about }, "call status check: Twilio has no such call; left as it is");
      return undefined;
    }
    if (!isFinalCallStatus(record.status)) {
      summary.live++;
      return undefined;
    }
    summary.ended++;
    return record;
  };
  for (const call of calls) {
    const record = await overAtTwilio(call.callSid, { callId: call.id });
    if (record) await callStatusRecorder(context, { callSid: call.callSid, status: record.status, durationSeconds: record.durationSeconds, endedAt: record.endedAt ?? now });
  }
  for (const callback of callbacks) {
    const record = await overAtTwilio(callback.outboundCallSid!, { callbackId: callback.id });
    if (!record) continue;
    await callbackOutcomeRecorder(context, { callbackId: callback.id, callSid: callback.outboundCallSid, callStatus: record.status });
    summary.callbacksEnded++;
  }
  if (summary.ended > 0) context.logger.info(summary, "call status check: calls over at Twilio ended here (their status callback never came)");
  return summary;
}
