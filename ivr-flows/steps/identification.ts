import type { Language } from "../../entities/enums.js";
import { answered, choose, gatherOneKey, MAX_TRIES, retry, type MenuTable } from "../menu.js";
import { say } from "../speak.js";
import type { Step } from "../types.js";

/** Language menu keys: each option is spoken in its own language (R8). */
export const LANGUAGE_MENU: MenuTable<Language> = { "1": "nl", "2": "fr", "3": "en", "4": "de" };

/** Longest list the "which person" menu reads out (keys 1–8; 0 is "not listed", 9 stays free). */
const MAX_CANDIDATES = 8;

/** First request of a call: the command has looked the caller ID up (state.candidates); decide how to identify (R2). */
export const start: Step = {
  enter(state, _context, twiml) {
    const [only] = state.candidates;
    if (state.candidates.length === 1 && only) {
      return { state, twiml, effects: [{ kind: "identify", personId: only.id }], goto: "welcome" };
    }
    if (state.candidates.length > 1) {
      const languages = new Set(state.candidates.map((candidate) => candidate.language));
      if (languages.size === 1) return { state: { ...state, language: [...languages][0]! }, twiml, effects: [], goto: "person" };
      return { state: { ...state, afterLanguage: "person" }, twiml, effects: [], goto: "language" };
    }
    return { state: { ...state, afterLanguage: "pin" }, twiml, effects: [], goto: "language" };
  },
};

/** Language menu: Nederlands, Français, English, Deutsch, each in its own voice. */
export const language: Step = {
  enter(state, context, twiml) {
    const gather = gatherOneKey(twiml, state, context, "language");
    for (const [digit, option] of Object.entries(LANGUAGE_MENU)) say(gather, option, "languageOption", { digit });
    return { state, twiml, effects: [], awaiting: "language" };
  },
  answer(state, input, _context, twiml) {
    const chosen = choose(LANGUAGE_MENU, input.digits);
    if (!chosen) return retry(state, twiml, "language");
    return {
      state: answered(state, { language: chosen }),
      twiml,
      effects: [{ kind: "setLanguage", language: chosen }],
      goto: state.afterLanguage,
    };
  },
};

/** Personal code by DTMF (4–8 digits, then #). */
export const pin: Step = {
  enter(state, context, twiml) {
    const gather = twiml.gather({
      numDigits: 8,
      finishOnKey: "#",
      timeout: 10,
      action: context.urls.step("pin", state.seq, state.language),
      method: "POST",
      actionOnEmptyResult: true,
    });
    say(gather, state.language ?? "nl", "enterPin");
    return { state, twiml, effects: [], awaiting: "pin" };
  },
  answer(state, input, _context, twiml) {
    const digits = input.digits ?? "";
    if (/^\d{4,8}$/.test(digits)) return { state: { ...state, pinRejected: false }, twiml, effects: [{ kind: "checkPin", pin: digits }], goto: "pinChecked" };
    // A silence or garbage is a failed attempt like a wrong code.
    return { state: { ...state, pinRejected: true }, twiml, effects: [], goto: "pinChecked" };
  },
};

/** After a PIN look-up: identified → welcome; wrong → again; the third time, or a locked-out caller ID or person → unidentified (R2). */
export const pinChecked: Step = {
  enter(state, _context, twiml) {
    if (state.pinLocked || state.pinPersonLocked) {
      say(twiml, state.language ?? "nl", state.pinLocked ? "pinLocked" : "pinPersonLocked");
      return { state: { ...state, pinRejected: false }, twiml, effects: [], goto: "unidentified" };
    }
    if (state.person && !state.pinRejected) return { state: answered(state, { pinTries: 0 }), twiml, effects: [], goto: "welcome" };
    const pinTries = state.pinTries + 1;
    if (pinTries >= MAX_TRIES) return { state: { ...state, pinTries, pinRejected: false }, twiml, effects: [], goto: "unidentified" };
    say(twiml, state.language ?? "nl", "pinRejected");
    return { state: { ...state, pinTries, pinRejected: false }, twiml, effects: [], goto: "pin" };
  },
};

/** A number shared by several persons: "which person are you?" (R2); 0 → personal code. */
export const person: Step = {
  enter(state, context, twiml) {
    const language = state.language ?? "nl";
    say(twiml, language, "sharedNumber");
    const gather = gatherOneKey(twiml, state, context, "person", 8);
    state.candidates.slice(0, MAX_CANDIDATES).forEach((candidate, index) => {
      say(gather, language, "personOption", { name: `${candidate.firstName} ${candidate.lastName}`, digit: index + 1 });
    });
    say(gather, language, "personNotListed");
    return { state, twiml, effects: [], awaiting: "person" };
  },
  answer(state, input, _context, twiml) {
    if (input.digits === "0") return { state: answered(state, {}), twiml, effects: [{ kind: "event", type: "person_not_listed" }], goto: "pin" };
    const table = Object.fromEntries(state.candidates.slice(0, MAX_CANDIDATES).map((candidate, index) => [String(index + 1), candidate]));
    const chosen = choose(table, input.digits);
    if (!chosen) return retry(state, twiml, "person");
    return { state: answered(state, {}), twiml, effects: [{ kind: "identify", personId: chosen.id }], goto: "welcome" };
  },
};

/** Still unknown: support is for designated reference persons; the attempt is recorded (R2); account management offered. */
export const unidentified: Step = {
  enter(state, _context, twiml) {
    say(twiml, state.language ?? "nl", "unidentified");
    return {
      state,
      twiml,
      effects: [
        { kind: "outcome", outcome: "unidentified" },
        { kind: "event", type: "unidentified", data: { attempts: state.pinTries } },
      ],
      goto: "accountOffer",
    };
  },
};
