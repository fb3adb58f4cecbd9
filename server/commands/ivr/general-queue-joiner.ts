import type { Language } from "../../../entities/enums.js";
import { GENERAL_QUEUE } from "../../../ivr-flows/urls.js";
import type { AppContext } from "../../context.js";
import { identifyByCallerId } from "../../domain/identification.js";
import { tryNormalizePhoneNumber } from "../../domain/phone.js";
import { runCallWebhook } from "./call-webhook.js";
import { markAgentMissed, releaseToQueue } from "./dial-action-recorder.js";

export interface GeneralQueueJoinerProps {
  callSid: string;
  from: string | null;
  to: string | null;
  language: Language | null;
}

/**
 * A caller the technical fallback sent to desk-general (the database or Redis failed, the Voice Fallback URL, an
 * agent who no longer exists) is there without the desk knowing: that answer could store nothing. Its wait URL says
 * so (q=general), and the first one answered with the database back records them as waiting in desk-general, so they
 * pop to every available agent (to speakers of their language when the caller ID names one person) and an accept
 * dequeues them from that queue like any other. The wait keeps counting from the first queuedAt. A call the desk had
 * as taken is released (its agent set missed). Nothing is changed for a call already waiting there or over (one
 * transaction, call.updated when it changed).
 */
export async function generalQueueJoiner(context: AppContext, props: GeneralQueueJoinerProps): Promise<void> {
  const now = context.now?.() ?? new Date();
  const fromE164 = tryNormalizePhoneNumber(props.from);
  await runCallWebhook(context, {
    callSid: props.callSid,
    dedupeKey: `general-queue:${now.getTime()}`,
    create: () => ({ direction: "inbound", fromNumber: (props.from ?? "").trim().slice(0, 40) || "anonymous", fromE164, toNumber: (props.to ?? "").slice(0, 40), ivrStep: "start", outcome: "in_ivr", language: props.language }),
    handle: async (tx, call) => {
      const waiting = call.outcome === "queued" && call.queueName === GENERAL_QUEUE && call.acceptedByAgentId === null;
      if (waiting || call.direction !== "inbound" || call.endedAt !== null) return { twiml: "", eventType: null };
      // Twilio asks this wait URL only for a caller in desk-general: one the desk still has as taken (the dial action
      // or connect-agent failed and fell back here) was not put through, so the accept is undone as for a missed leg.
      const missedBy = call.acceptedByAgentId;
      if (missedBy !== null) {
        await markAgentMissed(tx, missedBy, now);
        await releaseToQueue(tx, call, missedBy, GENERAL_QUEUE, now);
        return { twiml: "", eventType: "general_queue_joined", eventData: { releasedFrom: missedBy }, progressed: true };
      }
      if (call.personId === null && call.fromE164) {
        const found = await identifyByCallerId(tx.manager, call.fromE164);
        if (found.kind === "known") {
          call.personId = found.person.id;
          call.customerId = found.person.customerId;
          call.language ??= found.person.language;
        }
      }
      const from = { outcome: call.outcome, ivrStep: call.ivrStep, queueName: call.queueName };
      call.outcome = "queued";
      call.queueName = GENERAL_QUEUE;
      call.ivrStep = "queue";
      call.queuedAt ??= now;
      return { twiml: "", eventType: "general_queue_joined", eventData: { from, personId: call.personId }, progressed: true };
    },
  });
}
