import { answered, choose, gatherOneKey, retry, type MenuTable } from "../menu.js";
import { say, sayInLanguage, spacedDigits } from "../speak.js";
import type { Effect, Step } from "../types.js";
import { queueName } from "../urls.js";

/** After "not entitled" or "unidentified": 1 → account management. */
export const ACCOUNT_MENU: MenuTable<"accountManagement"> = { "1": "accountManagement" };

/** Maximum voicemail length, in seconds. */
export const VOICEMAIL_MAX_SECONDS = 180;

/**
 * The caller waits for an agent in the queue of their language (desk-general while it is unknown), hearing
 * position and estimated wait. Nobody can have accepted the call yet: an accept needs a queued caller (call-acceptor).
 */
export const queue: Step = {
  enter(state, context, twiml) {
    const name = queueName(state.language);
    sayInLanguage(twiml, state.language, "pleaseHold");
    twiml.enqueue(
      {
        waitUrl: context.urls.queueWait(state.language, state.callbackNumber !== null),
        waitUrlMethod: "POST",
        action: context.urls.queueExit(state.language),
        method: "POST",
      },
      name,
    );
    return { state, twiml, effects: [{ kind: "enqueue", queueName: name }], awaiting: "queued" };
  },
};

/** Outside business hours: a callback request is recorded and the caller may leave a message (<Record>). */
export const voicemail: Step = {
  enter(state, context, twiml) {
    const language = state.language ?? "nl";
    say(twiml, language, "voicemailPrompt");
    twiml.record({ action: context.urls.recording(state.language), method: "POST", maxLength: VOICEMAIL_MAX_SECONDS, finishOnKey: "#", playBeep: true, timeout: 7 });
    // Reached only when nothing was recorded (Twilio skips the action then).
    say(twiml, language, "voicemailNothing");
    twiml.hangup();
    const effects: Effect[] = [{ kind: "outcome", outcome: "voicemail" }];
    if (state.callbackNumber) effects.push({ kind: "requestCallback" });
    effects.push({ kind: "event", type: "voicemail_offered" });
    return { state, twiml, effects, awaiting: "voicemail" };
  },
};

/** R4: not entitled → told so, the contact recorded as a not-entitled ticket, account management offered. */
export const notEntitled: Step = {
  enter(state, _context, twiml) {
    if (!state.ticket) {
      return {
        state,
        twiml,
        effects: [
          { kind: "openTicket", purpose: "notEntitled" },
          { kind: "outcome", outcome: "not_entitled" },
          { kind: "event", type: "not_entitled", data: { reason: state.entitlementReason } },
        ],
        goto: "notEntitled",
      };
    }
    const language = state.language ?? "nl";
    say(twiml, language, "notEntitled");
    say(twiml, language, "callRegistered", { number: spacedDigits(state.ticket.number) });
    return { state, twiml, effects: [], goto: "accountOffer" };
  },
};

/** "Press 1 for account management"; silence three times also connects (never hung up on). */
export const accountOffer: Step = {
  enter(state, context, twiml) {
    say(gatherOneKey(twiml, state, context, "accountOffer"), state.language ?? "nl", "accountManagementOffer");
    return { state, twiml, effects: [], awaiting: "accountOffer" };
  },
  answer(state, input, _context, twiml) {
    if (!choose(ACCOUNT_MENU, input.digits)) return retry(state, twiml, "accountOffer", "accountDial");
    return { state: answered(state, {}), twiml, effects: [], goto: "accountDial" };
  },
};

/** Connects the caller with account management (env ACCOUNT_MANAGEMENT_NUMBER). */
export const accountDial: Step = {
  enter(state, context, twiml) {
    say(twiml, state.language ?? "nl", "connectingAccountManagement");
    twiml.dial({}).number(context.accountManagementNumber);
    return { state, twiml, effects: [{ kind: "event", type: "account_management_dialled" }], awaiting: "dialled" };
  },
};

/** Three wrong or silent answers: a human takes over (the queue; the voicemail while closed). */
export const fallback: Step = {
  enter(state, _context, twiml) {
    if (state.open === false) return { state, twiml, effects: [], goto: "voicemail" };
    sayInLanguage(twiml, state.language, "transferToColleague");
    return { state, twiml, effects: [], goto: "queue" };
  },
};
