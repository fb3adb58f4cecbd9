import type { Language } from "../../../entities/enums.js";
import { queueExitTwiml } from "../../../ivr-flows/queue.js";
import type { AppContext } from "../../context.js";
import { requestCallbackInTransaction } from "../callback-requester.js";
import { runCallWebhook } from "./call-webhook.js";
import { markAbandoned, markAnswered, markEnded } from "./call-closing.js";
import { readState } from "./ivr-step-runner.js";

/**
 * The <Enqueue> action: the caller left the queue. Bridged → answered; redirected (an accept dequeued them) → nothing
 * to close, connect-agent records the answer; hung up → abandoned with
 * the time waited (QueueTime); left for a callback → goodbye; a failed queue → a callback is recorded.
 */
export async function queueExitRecorder(
  context: AppContext,
  props: { callSid: string; result: string; queueTime: number | null; language: Language | null },
): Promise<string> {
  const now = context.now?.() ?? new Date();
  const result = props.result.slice(0, 30) || "unknown";
  return runCallWebhook(context, {
    callSid: props.callSid,
    // A caller requeued after a missed agent can be redirected again: each redirect is its own delivery.
    dedupeKey: result === "redirected" ? `queue_exit:redirected:${props.queueTime ?? "-"}` : `queue_exit:${result}`,
    unknownCall: () => queueExitTwiml(props.language, result).toString(),
    handle: async (tx, call) => {
      const language = call.language ?? props.language;
      let ended = false;
      if (result === "bridged" || result === "bridging-in-process") markAnswered(call, now, props.queueTime);
      else if (result === "redirected") {
        // The desk moved the caller out of the queue (an accept: Queue Members API): not an abandonment, and not yet an
        // answer either; connect-agent records the answer (the wait runs until the accept), the Dial action a miss.
      } else if (result === "hangup") {
        markAbandoned(call, now, props.queueTime);
        ended = markEnded(call, now, null);
      } else if (result === "queue-full" || result === "error" || result === "system-error") {
        const state = readState(call);
        if (state.callbackNumber) {
          await requestCallbackInTransaction(tx, { callId: call.id, ticketId: call.ticketId, phoneNumber: state.callbackNumber, language: language ?? "nl", queuedAt: call.queuedAt ?? now });
          if (call.outcome === "queued" || call.outcome === "in_ivr") call.outcome = "callback_requested";
        }
      } else if (result === "leave" && call.queuedAt && call.waitSeconds === null) {
        call.waitSeconds = props.queueTime;
      }
      return { twiml: queueExitTwiml(language, result).toString(), eventType: "queue_exit", eventData: { result, queueTime: props.queueTime }, progressed: true, ended };
    },
  });
}
