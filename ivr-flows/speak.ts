import type { Language } from "../entities/enums.js";
import { LANGUAGES } from "../entities/enums.js";
import { prompt, type PromptKey } from "./prompts/index.js";
import type { VoiceResponse } from "./types.js";
import { sayAttributes } from "./voices.js";

type Sayer = Pick<VoiceResponse, "say">;

/** Appends a <Say> of a catalog prompt in the caller's language and voice. */
export function say(target: Sayer, language: Language, key: PromptKey, params: Record<string, string | number> = {}): void {
  target.say(sayAttributes(language), prompt(language, key, params));
}

/** Says a prompt in every language, each in its own voice (the caller's language is not known yet). */
export function sayInEveryLanguage(target: Sayer, key: PromptKey, params: Record<string, string | number> = {}): void {
  for (const language of LANGUAGES) say(target, language, key, params);
}

/** Says a prompt in the caller's language, or in every language while it is unknown. */
export function sayInLanguage(target: Sayer, language: Language | null, key: PromptKey, params: Record<string, string | number> = {}): void {
  if (language) say(target, language, key, params);
  else sayInEveryLanguage(target, key, params);
}

/**
 * A ticket number read digit by digit: "2026-000123" → "2 0 2 6, 0 0 0 1 2 3" (every text-to-speech voice
 * reads separated digits one by one, in the language of the <Say>).
 */
export function spacedDigits(number: string): string {
  return number
    .split(/[^0-9]+/)
    .filter((group) => group.length > 0)
    .map((group) => group.split("").join(" "))
    .join(", ");
}
