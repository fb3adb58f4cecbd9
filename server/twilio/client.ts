/**
 * Every REST call the desk makes to Twilio goes through this interface: the real implementation uses the
 * twilio library, the simulation records what would have been sent so tests and the simulator can read it.
 */
export interface TwilioRestClient {
  readonly simulated: boolean;
  /** Sends an SMS; returns the provider's message SID. */
  sendSms(message: { to: string; from: string; body: string }): Promise<{ sid: string }>;
  /** Places an outbound call whose TwiML comes from `url`; returns the CallSid. */
  createCall(call: OutboundCallRequest): Promise<{ sid: string }>;
  /** Moves a caller waiting in a queue to new TwiML at `url` (Twilio Queue Members API, dequeue). */
  redirectQueueMember(member: { queueName: string; callSid: string; url: string }): Promise<void>;
  /** Redirects a live call to new TwiML at `url`. */
  redirectCall(call: { callSid: string; url: string }): Promise<void>;
  /** Twilio's record of a call (Calls API, fetch); null when Twilio has no call with this SID. */
  fetchCall(callSid: string): Promise<TwilioCallRecord | null>;
}

/** Events a status callback of an outbound call may ask for (Twilio's StatusCallbackEvent). */
export type StatusCallbackEvent = "initiated" | "ringing" | "answered" | "completed";

/**
 * An outbound call as the Calls API creates it (https://www.twilio.com/docs/voice/api/call-resource#create-a-call-resource):
 * Twilio rings `to` from `from`, fetches `url` once answered, and reports the events asked for on `statusCallback`
 * (only `completed` when none are named).
 */
export interface OutboundCallRequest {
  to: string;
  from: string;
  url: string;
  statusCallback?: string;
  statusCallbackEvent?: StatusCallbackEvent[];
  /**
   * Answering machine detection: Twilio posts `url` with AnsweredBy (human, machine_start, fax, unknown; with
   * DetectMessageEnd machine_end_beep, machine_end_silence, machine_end_other instead of machine_start).
   * https://www.twilio.com/docs/voice/answering-machine-detection
   */
  machineDetection?: "Enable" | "DetectMessageEnd";
  /** Seconds Twilio lets it ring before giving up with no-answer (Twilio's default 60). */
  timeout?: number;
}

/** What Twilio knows of a call: its status (queued, ringing, in-progress, completed, busy, failed, no-answer, canceled), and once over its duration and end. */
export interface TwilioCallRecord {
  status: string;
  durationSeconds: number | null;
  endedAt: Date | null;
}

/** Twilio call statuses after which a call is over: `completed` once answered, the others when it reached nobody. */
const FINAL_CALL_STATUSES = new Set(["completed", "busy", "failed", "no-answer", "canceled"]);

/** True for a Twilio call status after which the call is over. */
export function isFinalCallStatus(status: string): boolean {
  return FINAL_CALL_STATUSES.has(status);
}
