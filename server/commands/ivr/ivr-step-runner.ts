import twilio from "twilio";
import type { Call } from "../../../entities/Call.js";
import type { ReferencePerson } from "../../../entities/ReferencePerson.js";
import { LANGUAGES, type Language } from "../../../entities/enums.js";
import { initialState, isAnswerStep, STEPS, type IvrState, type StepContext, type StepName, type StepResult } from "../../../ivr-flows/index.js";
import { flowUrls } from "../../../ivr-flows/urls.js";
import type { AppContext } from "../../context.js";
import type { Contract } from "../../../entities/Contract.js";
import { readTogether } from "../../db/reads.js";
import { callerContractsRead } from "../../domain/entitlement.js";
import { identificationOf, personsByPhoneRead } from "../../domain/identification.js";
import { tryNormalizePhoneNumber } from "../../domain/phone.js";
import { applyEffect, type EffectScope } from "./effects.js";
import { inputDigest, runCallWebhook } from "./call-webhook.js";

/** Steps chained within one webhook before the runner gives up (a flow bug, never a caller's doing). */
const MAX_CHAINED_STEPS = 25;

export interface IvrRequest {
  callSid: string;
  /** "start" for the Voice URL; otherwise the step named in the step URL. */
  step: string;
  /** The sequence number carried by the step URL (null on the Voice URL or when garbled). */
  seq: number | null;
  /** Digits as Twilio posted them (may be absent or garbage). */
  digits: string | null;
  from: string | null;
  to: string | null;
}

/** The caller's language as the step URL carries it (so the fallback needs no database). */
export function languageParam(value: unknown): Language | null {
  return typeof value === "string" && (LANGUAGES as readonly string[]).includes(value) ? (value as Language) : null;
}

/** The stored state of a call, completed with defaults (rows written by an older version stay readable). */
export function readState(call: Call): IvrState {
  return { ...initialState(), ...((call.ivrState ?? {}) as Partial<IvrState>) };
}

/**
 * Runs one IVR webhook: loads the call by CallSid (created on the Voice URL), checks the step and sequence,
 * runs the pure step from ivr-flows/, applies its effects (identification, ticket, queue …) and chains the next
 * steps, then saves state, CallEvent and outbox in one transaction. A retried delivery gets the same TwiML and
 * changes nothing; a stale or unknown step re-asks the current question.
 */
export async function ivrStepRunner(context: AppContext, request: IvrRequest): Promise<string> {
  const now = context.now?.() ?? new Date();
  const digits = request.digits === null || request.digits === "" ? null : request.digits.slice(0, 40);
  const isStart = request.step === "start";
  const dedupeKey = `${request.step.slice(0, 30)}#${request.seq ?? 0}:${inputDigest(context.env.PIN_SECRET, request.callSid, digits ?? "")}`;
  const fromNumber = (request.from ?? "").trim().slice(0, 40) || "anonymous";
  return runCallWebhook(context, {
    callSid: request.callSid,
    dedupeKey,
    create: isStart
      ? () => ({ direction: "inbound", fromNumber, fromE164: tryNormalizePhoneNumber(request.from), toNumber: (request.to ?? "").slice(0, 40), ivrStep: "start", outcome: "in_ivr" })
      : undefined,
    unknownCall: () => {
      // A step for a call we never saw: start it properly.
      const twiml = new twilio.twiml.VoiceResponse();
      twiml.redirect({ method: "POST" }, flowUrls(context.baseUrl).voice);
      return twiml.toString();
    },
    handle: async (tx, call, replayed) => {
      const stepContext: StepContext = {
        urls: flowUrls(context.baseUrl),
        accountManagementNumber: context.env.ACCOUNT_MANAGEMENT_NUMBER,
      };
      let state = readState(call);
      const twiml = new twilio.twiml.VoiceResponse();
      const current = isStart ? null : request.step;
      const fresh = isStart ? call.ivrStep === "start" : current === call.ivrStep && request.seq === state.seq && isAnswerStep(current);
      if (!fresh) {
        // A repeated delivery is never fresh (the step or sequence moved on): Twilio retried one we answered, so the
        // same TwiML again, nothing changed.
        const earlier = await replayed();
        if (earlier !== null) return { twiml: earlier, eventType: null };
        // Stale, forged-but-signed or unknown step: ask the current question again, store nothing.
        if (isAnswerStep(call.ivrStep)) return { twiml: STEPS[call.ivrStep].enter(state, stepContext, twiml).twiml.toString(), eventType: null };
        const ended = new twilio.twiml.VoiceResponse();
        ended.hangup();
        return { twiml: ended.toString(), eventType: null };
      }
      state = { ...state, seq: state.seq + 1 };
      const knownPersons = new Map<number, ReferencePerson>();
      const knownContracts = new Map<number, Contract[]>();
      if (isStart) {
        // Who the caller ID may be, with their customers' contracts: one round trip, and identifying reads no more.
        const [persons, contracts] = call.fromE164 ? await readTogether(tx.manager, [personsByPhoneRead(tx.manager, call.fromE164), callerContractsRead(tx.manager, call.fromE164)] as const) : [[], new Map<number, Contract[]>()];
        const found = identificationOf(persons);
        const candidates = found.kind === "known" ? [found.person] : found.kind === "ambiguous" ? found.candidates : [];
        for (const person of candidates) {
          knownPersons.set(person.id, person);
          knownContracts.set(person.customerId, contracts.get(person.customerId) ?? []);
        }
        state = {
          ...state,
          callbackNumber: call.fromE164,
          candidates: candidates.map((person) => ({ id: person.id, firstName: person.firstName, lastName: person.lastName, language: person.language })),
        };
      }
      const scope: EffectScope = { context, tx, call, now, deliveryKey: dedupeKey, progressed: false, knownPersons, knownContracts };
      const stepName = (isStart ? "start" : current) as StepName;
      let result: StepResult = isStart ? STEPS.start.enter(state, stepContext, twiml) : STEPS[stepName].answer!(state, { digits }, stepContext, twiml);
      for (let chained = 0; ; chained++) {
        if (chained > MAX_CHAINED_STEPS) throw new Error(`IVR flow loops at step ${result.goto}`);
        let next = result.state;
        for (const effect of result.effects) next = await applyEffect(scope, next, effect);
        if (!result.goto) {
          result = { ...result, state: next };
          break;
        }
        result = STEPS[result.goto].enter(next, stepContext, twiml);
      }
      // The caller's choices show on the agents' screen-pop (type, priority, product): announce each change.
      const before = readState(call);
      if ((["contactType", "priority", "productId", "language"] as const).some((field) => before[field] !== result.state[field])) scope.progressed = true;
      call.ivrState = result.state as unknown as Record<string, unknown>;
      call.ivrStep = result.awaiting ?? "ended";
      return {
        twiml: twiml.toString(),
        eventType: isStart ? "call_started" : `step:${stepName}`,
        eventData: { step: stepName, seq: request.seq, answer: stepName === "pin" ? (digits ? "****" : null) : digits, next: call.ivrStep },
        progressed: scope.progressed,
      };
    },
  });
}
