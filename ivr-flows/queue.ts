import twilio from "twilio";
import type { Language } from "../entities/enums.js";
import { sayInLanguage } from "./speak.js";
import type { VoiceResponse } from "./types.js";
import { HOLD_MUSIC_URL, type FlowUrls } from "./urls.js";

/** What the wait URL knows about the caller's place: their position, and Twilio's AvgQueueTime and QueueTime (seconds). */
export interface QueueWaitInput {
  language: Language | null;
  callbackOffered: boolean;
  /** The caller's place in the desk's order (server/domain/desk-order.ts); Twilio's QueuePosition only when the desk cannot tell. */
  position: number | null;
  averageWaitSeconds: number | null;
  waitedSeconds: number | null;
  /** Agents on duty (available, on a call, in wrap-up) who speak the caller's language: none, no estimate is given. */
  speakersOnDuty: number;
}

/** Assumed handling time per caller ahead when Twilio has no average yet (a new queue). */
const DEFAULT_SECONDS_PER_CALLER = 120;

/**
 * Estimated remaining wait in whole minutes (at least 1): the queue's average wait minus the time already
 * waited, or two minutes per round of callers ahead (shared among the agents on duty who speak the language)
 * while the queue has no history. Null when no such agent is on duty: an estimate then would be a guess.
 */
export function estimateWaitMinutes(position: number | null, averageWaitSeconds: number | null, waitedSeconds: number | null, speakersOnDuty: number): number | null {
  if (speakersOnDuty <= 0) return null;
  const place = position && position > 0 ? position : 1;
  const rounds = Math.ceil(place / speakersOnDuty);
  const remaining = averageWaitSeconds && averageWaitSeconds > 0 ? averageWaitSeconds - (waitedSeconds ?? 0) : rounds * DEFAULT_SECONDS_PER_CALLER;
  return Math.max(1, Math.ceil(Math.max(remaining, rounds * 30) / 60));
}

/** The wait URL's TwiML: position, estimate, the callback key (when we have a number to call), hold music. */
export function queueWaitTwiml(input: QueueWaitInput, urls: FlowUrls): VoiceResponse {
  const twiml = new twilio.twiml.VoiceResponse();
  const gather = twiml.gather({ numDigits: 1, timeout: 2, action: urls.queueKey(input.language, input.callbackOffered), method: "POST" });
  const language = input.language;
  if (input.position && input.position > 0) sayInLanguage(gather, language, "queuePosition", { position: input.position });
  const minutes = estimateWaitMinutes(input.position, input.averageWaitSeconds, input.waitedSeconds, input.speakersOnDuty);
  if (minutes === 1) sayInLanguage(gather, language, "queueEstimateOne");
  else if (minutes !== null) sayInLanguage(gather, language, "queueEstimate", { minutes });
  if (input.callbackOffered) sayInLanguage(gather, language, "callbackOffer");
  twiml.play({}, HOLD_MUSIC_URL);
  return twiml;
}

/** The callback key was pressed and recorded: confirm and leave the queue politely (<Leave/> → the Enqueue action). */
export function callbackChosenTwiml(language: Language | null): VoiceResponse {
  const twiml = new twilio.twiml.VoiceResponse();
  sayInLanguage(twiml, language, "callbackConfirmed");
  twiml.leave();
  return twiml;
}

/** Any other key in the queue: back to the announcements. */
export function backToWaitTwiml(language: Language | null, callbackOffered: boolean, urls: FlowUrls): VoiceResponse {
  const twiml = new twilio.twiml.VoiceResponse();
  twiml.redirect({ method: "POST" }, urls.queueWait(language, callbackOffered));
  return twiml;
}

/** The Enqueue action's answer: a caller who left for a callback hears goodbye; a failed queue is told we call back. */
export function queueExitTwiml(language: Language | null, result: string): VoiceResponse {
  const twiml = new twilio.twiml.VoiceResponse();
  if (result === "leave") {
    sayInLanguage(twiml, language, "goodbye");
    twiml.hangup();
  } else if (result === "queue-full" || result === "error" || result === "system-error") {
    sayInLanguage(twiml, language, "queueUnavailable");
    twiml.hangup();
  }
  return twiml;
}

