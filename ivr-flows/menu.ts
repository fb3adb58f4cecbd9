import { sayInLanguage } from "./speak.js";
import type { IvrState, StepContext, StepName, StepResult, VoiceResponse } from "./types.js";

/** Wrong or silent answers allowed before a human takes over. */
export const MAX_TRIES = 3;

/** A menu: digit → action; anything else (a silence, a wrong key, garbage) re-prompts. */
export type MenuTable<A> = Readonly<Record<string, A>>;

/** The action for the pressed key, or null for a silence, an unknown key or non-digit input. */
export function choose<A>(table: MenuTable<A>, digits: string | null): A | null {
  if (digits === null || !/^[0-9]$/.test(digits)) return null;
  return Object.prototype.hasOwnProperty.call(table, digits) ? table[digits]! : null;
}

/** Standard <Gather> of a one-key menu answering to `step`; a silence also posts (empty Digits) so it counts as a try. */
export function gatherOneKey(twiml: VoiceResponse, state: IvrState, context: StepContext, step: StepName, timeout = 6) {
  return twiml.gather({ numDigits: 1, timeout, action: context.urls.step(step, state.seq, state.language), method: "POST", actionOnEmptyResult: true });
}

/**
 * A wrong or silent answer: re-ask after a short "sorry" until the third time, then `fallback` (a human
 * queue by default): the caller is never hung up on.
 */
export function retry(state: IvrState, twiml: VoiceResponse, again: StepName, fallback: StepName = "fallback"): StepResult {
  const tries = state.tries + 1;
  if (tries >= MAX_TRIES) {
    return { state: { ...state, tries: 0 }, twiml, effects: [{ kind: "event", type: "too_many_tries", data: { step: again } }], goto: fallback };
  }
  sayInLanguage(twiml, state.language, "notUnderstood");
  return { state: { ...state, tries }, twiml, effects: [], goto: again };
}

/** A good answer: the try counter starts again for the next question. */
export function answered(state: IvrState, changes: Partial<IvrState>): IvrState {
  return { ...state, ...changes, tries: 0 };
}
