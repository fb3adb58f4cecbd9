import type { AppContext } from "../../context.js";
import { runCallWebhook } from "./call-webhook.js";
import { markAbandoned, markEnded } from "./call-closing.js";
import { isFinalCallStatus } from "../../twilio/client.js";

const EMPTY = '<?xml version="1.0" encoding="UTF-8"?><Response/>';

/**
 * The number's status callback closes the call record (SPEC §4.8): ended, duration, and abandoned when the
 * caller hung up before an agent answered. Recorded once per status; unknown calls are ignored. The call status
 * check (jobs/call-status-check.ts) records a status callback that never came the same way, with Twilio's end time.
 */
export async function callStatusRecorder(context: AppContext, props: { callSid: string; status: string; durationSeconds: number | null; endedAt?: Date }): Promise<string> {
  const now = props.endedAt ?? context.now?.() ?? new Date();
  const status = props.status.slice(0, 30) || "unknown";
  return runCallWebhook(context, {
    callSid: props.callSid,
    dedupeKey: `status:${status}`,
    unknownCall: () => EMPTY,
    handle: async (_tx, call) => {
      let ended = false;
      if (isFinalCallStatus(status)) {
        if (status === "failed") call.outcome = call.outcome === "in_ivr" ? "failed" : call.outcome;
        // An outbound callback's end says nothing about a caller abandoning a queue.
        if (call.direction === "inbound") markAbandoned(call, now, null);
        ended = markEnded(call, now, props.durationSeconds);
      }
      return { twiml: EMPTY, eventType: "status", eventData: { status, durationSeconds: props.durationSeconds }, progressed: ended, ended };
    },
  });
}
