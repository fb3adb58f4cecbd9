import type { Language } from "../../../entities/enums.js";
import { backToWaitTwiml, callbackChosenTwiml } from "../../../ivr-flows/queue.js";
import { flowUrls } from "../../../ivr-flows/urls.js";
import type { AppContext } from "../../context.js";
import { requestCallbackInTransaction } from "../callback-requester.js";
import { inputDigest, runCallWebhook } from "./call-webhook.js";
import { readState } from "./ivr-step-runner.js";

/** The callback key of the queue announcements. */
export const CALLBACK_KEY = "1";

/**
 * A key pressed while waiting: the callback key records a callback request that keeps the caller's place
 * (SPEC §4.6) and leaves the queue politely; any other key goes back to the announcements.
 */
export async function queueCallbackRequester(
  context: AppContext,
  props: { callSid: string; digits: string | null; language: Language | null; callbackOffered: boolean },
): Promise<string> {
  const urls = flowUrls(context.baseUrl);
  const back = () => backToWaitTwiml(props.language, props.callbackOffered, urls).toString();
  if (props.digits !== CALLBACK_KEY || !props.callbackOffered) return back();
  return runCallWebhook(context, {
    callSid: props.callSid,
    dedupeKey: `queue_key:${inputDigest(context.env.PIN_SECRET, props.callSid, props.digits)}`,
    unknownCall: back,
    handle: async (tx, call) => {
      const state = readState(call);
      const language = call.language ?? props.language ?? "nl";
      if (!state.callbackNumber) return { twiml: back(), eventType: null };
      const { callbackId } = await requestCallbackInTransaction(tx, {
        callId: call.id,
        ticketId: call.ticketId,
        phoneNumber: state.callbackNumber,
        language,
        queuedAt: call.queuedAt ?? context.now?.() ?? new Date(),
      });
      if (call.outcome === "queued" || call.outcome === "in_ivr") call.outcome = "callback_requested";
      return { twiml: callbackChosenTwiml(language).toString(), eventType: "callback_requested", eventData: { callbackId }, progressed: true };
    },
  });
}
