import { LANGUAGES } from "../../../entities/enums.js";
import { prompt } from "../../../ivr-flows/prompts/index.js";
import { spacedDigits } from "../../../ivr-flows/speak.js";
import { TwilioSimulator, type SimCall, type SimQueueRegistry, type SimSoftphones } from "../../../server/twilio/simulator.js";
import { TEST_AUTH_TOKEN } from "../../support/app.js";

export const DESK = "+3232000000";

/** What one simulated caller went through. */
export interface CallerResult {
  callSid: string | null;
  from: string;
  /** The ticket number read back to the caller (YYYY-NNNNNN), or null. */
  ticketNumber: string | null;
  /** The caller heard the technical-problem apology (the IVR's fallback). */
  fallback: boolean;
  /** HTTP status of every webhook answer the caller's call got. */
  statuses: number[];
  /** The simulator's last word on the call ("application error: …" when Twilio got no valid TwiML). */
  outcome: string;
  /** A failure of the simulator itself (unparseable TwiML in a redirect, network error). */
  error: string | null;
  /** Every webhook URL requested for this call. */
  urls: string[];
}

const TICKET_LINE = /^Your ticket number is ([0-9, ]+)\. I repeat: /;
const APOLOGIES = new Set(LANGUAGES.map((language) => prompt(language, "technicalProblem")));

/** Twilio of the desk behind `publicUrl`, signing every webhook for the URL it requests. */
export function twilioFor(publicUrl: string, queues?: SimQueueRegistry, softphones?: SimSoftphones): TwilioSimulator {
  return new TwilioSimulator({ authToken: TEST_AUTH_TOKEN, voiceUrl: `${publicUrl}/twilio/voice`, statusUrl: `${publicUrl}/twilio/status`, ...(queues ? { queues } : {}), ...(softphones ? { softphones } : {}) });
}

/** The ticket number an English caller heard, checked against the exact prompt. */
export function heardTicketNumber(call: SimCall): string | null {
  for (const line of TwilioSimulator.said(call)) {
    const match = TICKET_LINE.exec(line);
    if (!match) continue;
    const digits = match[1]!.replace(/[^0-9]/g, "");
    const number = `${digits.slice(0, 4)}-${digits.slice(4)}`;
    if (line === prompt("en", "ticketNumber", { number: spacedDigits(number) })) return number;
  }
  return null;
}

/** Summarises a simulated call. */
export function resultOf(call: SimCall, error: string | null = null): CallerResult {
  return {
    callSid: call.callSid,
    from: call.from,
    ticketNumber: heardTicketNumber(call),
    fallback: TwilioSimulator.said(call).some((line) => APOLOGIES.has(line)),
    statuses: call.requests.map((request) => request.status),
    outcome: call.outcome,
    error,
    urls: call.requests.map((request) => request.url),
  };
}

/**
 * One whole call of a known English caller: ring, greeting, contact type `digit` (1 question, 4 complaint),
 * ticket number read back, the queue's announcements, then hanging up (queue exit and status callback).
 */
export async function placeCall(sim: TwilioSimulator, from: string, digit = "1"): Promise<CallerResult> {
  let call: SimCall | undefined;
  try {
    call = await sim.start({ from, to: DESK });
    if (call.gather) await sim.press(call, digit);
    if (call.status === "queue") await sim.waitInQueue(call);
    await sim.hangup(call);
    return resultOf(call);
  } catch (error) {
    const message = (error as Error).message;
    return call ? resultOf(call, message) : { callSid: null, from, ticketNumber: null, fallback: false, statuses: [], outcome: "never started", error: message, urls: [] };
  }
}

/** True when every webhook of the call got HTTP 200 with TwiML the simulator could follow. */
export function heardValidTwiml(result: CallerResult): boolean {
  return result.error === null && result.statuses.length > 0 && result.statuses.every((status) => status === 200) && !result.outcome.startsWith("application error");
}

export interface LoadOptions {
  sim: TwilioSimulator;
  /** One caller per number, calling again and again. */
  phones: string[];
  /** Asked before each new call with the number of calls started so far; false stops that caller. */
  keepGoing: (started: number) => boolean;
  digit?: string;
  /** Called after each finished call with the number finished so far. */
  onCall?: (finished: number, result: CallerResult) => void;
}

/** `phones.length` callers at once, each placing calls back to back while `keepGoing` says so. */
export async function runLoad(options: LoadOptions): Promise<CallerResult[]> {
  const results: CallerResult[] = [];
  let started = 0;
  await Promise.all(
    options.phones.map(async (phone) => {
      while (options.keepGoing(started)) {
        started++;
        const result = await placeCall(options.sim, phone, options.digit);
        results.push(result);
        options.onCall?.(results.length, result);
      }
    }),
  );
  return results;
}

/** Lines describing callers that failed an expectation, for assertion messages. */
export function describeCallers(results: CallerResult[], limit = 5): string {
  return results
    .slice(0, limit)
    .map((result) => `${result.callSid} from ${result.from}: statuses ${result.statuses.join(",")}, outcome "${result.outcome}", error ${result.error}, ticket ${result.ticketNumber}`)
    .join("\n");
}
