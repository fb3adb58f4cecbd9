import twilio from "twilio";
import type { Language } from "../../../entities/enums.js";
import { sayInLanguage } from "../../../ivr-flows/speak.js";
import type { AppContext } from "../../context.js";
import { inputDigest, runCallWebhook } from "./call-webhook.js";

/** Only recordings Twilio hosts over http(s) are stored. */
const RECORDING_URL = /^https?:\/\/[^\s]{1,480}$/;

/**
 * The <Record> action: stores the recording URL on the call and announces `voicemail.recorded` (the jobs issue
 * turns it into a ticket event and a callback); the caller hears thanks and goodbye.
 */
export async function voicemailRecorder(
  context: AppContext,
  props: { callSid: string; recordingUrl: string | null; recordingSid: string | null; durationSeconds: number | null; language: Language | null },
): Promise<string> {
  const valid = props.recordingUrl !== null && RECORDING_URL.test(props.recordingUrl);
  const answer = (language: Language | null) => {
    const twiml = new twilio.twiml.VoiceResponse();
    sayInLanguage(twiml, language, valid ? "voicemailThanks" : "voicemailNothing");
    twiml.hangup();
    return twiml.toString();
  };
  return runCallWebhook(context, {
    callSid: props.callSid,
    dedupeKey: `recording:${inputDigest(context.env.PIN_SECRET, props.callSid, props.recordingSid ?? props.recordingUrl ?? "")}`,
    unknownCall: () => answer(props.language),
    handle: async (tx, call) => {
      const language = call.language ?? props.language;
      if (!valid) return { twiml: answer(language), eventType: "voicemail_empty" };
      call.recordingUrl = props.recordingUrl;
      if (call.outcome === "in_ivr" || call.outcome === "queued") call.outcome = "voicemail";
      await tx.record("voicemail.recorded", { callId: call.id, ticketId: call.ticketId });
      return { twiml: answer(language), eventType: "voicemail_recorded", eventData: { recordingSid: props.recordingSid, durationSeconds: props.durationSeconds }, progressed: true };
    },
  });
}
