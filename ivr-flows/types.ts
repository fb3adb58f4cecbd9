import type twilio from "twilio";
import type { CallOutcome, ContactType, Language, Priority } from "../entities/enums.js";
import type { FlowUrls } from "./urls.js";

export type VoiceResponse = twilio.twiml.VoiceResponse;

/** A reference person as the IVR knows them once identified. */
export interface IdentifiedPerson {
  id: number;
  firstName: string;
  lastName: string;
  customerId: number;
  campusId: number | null;
}

/** One person of a shared number (R2: "which person?"). */
export interface Candidate {
  id: number;
  firstName: string;
  lastName: string;
  language: Language;
}

/** A product of the product menu with its spoken names. */
export interface ProductChoice {
  id: number;
  name: string;
  spokenNames: Partial<Record<string, string>> | null;
}

/**
 * The IVR state of one call, stored as JSON on the calls row (Call.ivrState), never in memory.
 * `contactType`, `priority` and `productId` are read by the screen-pop as the caller's choices.
 */
export interface IvrState {
  /** Increments with every answered webhook; part of each step URL so a retry is told from a new answer. */
  seq: number;
  language: Language | null;
  /** Wrong or silent answers to the current question (three → a human). */
  tries: number;
  pinTries: number;
  /** Where the language menu leads. */
  afterLanguage: "pin" | "person" | "welcome";
  candidates: Candidate[];
  person: IdentifiedPerson | null;
  /** R4 verdict at identification (any paid, valid contract). */
  entitled: boolean | null;
  entitlementReason: string | null;
  /** Desk open at identification (business hours, Belgian holidays). */
  open: boolean | null;
  products: ProductChoice[];
  contactType: ContactType | null;
  priority: Priority | null;
  productId: number | null;
  ticket: { id: number; number: string } | null;
  /** E.164 number we can call back (caller ID or the person's registered number), null when none. */
  callbackNumber: string | null;
  /** Set by the checkPin effect when the PIN matched nobody. */
  pinRejected: boolean;
  /** Set by the checkPin effect when this caller ID failed too many PINs recently: no PIN is accepted. */
  pinLocked: boolean;
  /** Set by the checkPin effect when the code is (or is one digit from) that of a person with too many failures: refused from any number. */
  pinPersonLocked?: boolean;
}

/** The state of a call that has just rung. */
export function initialState(): IvrState {
  return {
    seq: 0,
    language: null,
    tries: 0,
    pinTries: 0,
    afterLanguage: "pin",
    candidates: [],
    person: null,
    entitled: null,
    entitlementReason: null,
    open: null,
    products: [],
    contactType: null,
    priority: null,
    productId: null,
    ticket: null,
    callbackNumber: null,
    pinRejected: false,
    pinLocked: false,
  };
}

/** What a step asks the command to do with the database; the command applies effects in order, then continues. */
export type Effect =
  /** Identify the caller as this reference person: load entitlement, covered products, business hours. */
  | { kind: "identify"; personId: number }
  /** Look a PIN up; identifies on a match, sets `pinRejected` otherwise. */
  | { kind: "checkPin"; pin: string }
  /** The caller chose a language; an identified caller's choice is stored on their reference person (R8). */
  | { kind: "setLanguage"; language: Language }
  /** Open the call's ticket (once per call); `notEntitled` records an R4 refusal for follow-up. */
  | { kind: "openTicket"; purpose: "support" | "notEntitled" }
  /** The caller joins a queue (Call.queueName, queuedAt, outcome queued). */
  | { kind: "enqueue"; queueName: string }
  /** The call's outcome is now known (unidentified, not_entitled, voicemail). */
  | { kind: "outcome"; outcome: CallOutcome }
  /** Record a callback request for this call (voicemail, queue key). */
  | { kind: "requestCallback" }
  /** A named fact worth its own CallEvent (R10). */
  | { kind: "event"; type: string; data?: Record<string, unknown> };

/** Read-only facts a step may use, supplied by the command. */
export interface StepContext {
  urls: FlowUrls;
  accountManagementNumber: string;
}

/** The answer to a <Gather>: null when the caller pressed nothing. */
export interface StepInput {
  digits: string | null;
}

export type StepName =
  | "start"
  | "language"
  | "pin"
  | "pinChecked"
  | "person"
  | "welcome"
  | "contactType"
  | "workStopped"
  | "product"
  | "ticket"
  | "queue"
  | "voicemail"
  | "notEntitled"
  | "unidentified"
  | "accountOffer"
  | "accountDial"
  | "fallback";

/**
 * What a step decided. `twiml` is the response being built (steps append to it), `goto` continues with another
 * step's entry once the effects are applied, `awaiting` names the step whose <Gather> the caller now answers
 * (or a terminal marker such as "queued").
 */
export interface StepResult {
  state: IvrState;
  twiml: VoiceResponse;
  effects: Effect[];
  goto?: StepName;
  awaiting?: string;
}

/** One IVR step: `enter` speaks its question (or decides and moves on), `answer` handles the caller's keys. */
export interface Step {
  enter(state: IvrState, context: StepContext, twiml: VoiceResponse): StepResult;
  answer?(state: IvrState, input: StepInput, context: StepContext, twiml: VoiceResponse): StepResult;
}
