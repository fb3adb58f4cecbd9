import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import * as common from "@zxcvbn-ts/language-common";
import * as de from "@zxcvbn-ts/language-de";
import * as en from "@zxcvbn-ts/language-en";
import * as fr from "@zxcvbn-ts/language-fr";
import * as nl from "@zxcvbn-ts/language-nl-be";
import { badRequest } from "../errors/http-error.js";

/** Shortest password the desk accepts for a new or changed password. */
export const MIN_PASSWORD_LENGTH = 12;
/** Lowest zxcvbn score accepted (0–4; 3 = "safely unguessable", about 10^10 guesses). */
export const MIN_PASSWORD_SCORE = 3;

/**
 * A pack's lists under names of their own (the 3.x Dutch and German packs use the same names), without the ones left
 * out: their Wikipedia lists and the English surnames (some 200,000 words, about half the memory of all lists, for words
 * the common lists, the first names and the other languages mostly cover already; the web process runs in 256 MB).
 */
function lists(dictionary: Record<string, string[]>, language: string, leaveOut: string[]): Record<string, string[]> {
  return Object.fromEntries(
    Object.entries(dictionary)
      .filter(([name]) => !leaveOut.some((left) => name.startsWith(left)))
      .map(([name, words]) => [name.endsWith(`-${language}`) ? name : `${name}-${language}`, words]),
  );
}

let factory: ZxcvbnFactory | undefined;

/** zxcvbn with the common lists (passwords, diceware) and the desk's four languages (words, names), built on first use. */
function estimator(): ZxcvbnFactory {
  factory ??= new ZxcvbnFactory({
    graphs: common.adjacencyGraphs,
    dictionary: {
      ...common.dictionary,
      ...lists(en.dictionary, "en", ["lastnames"]),
      ...lists(fr.dictionary, "fr", ["wikipedia"]),
      ...lists(nl.dictionary, "nl", ["wikipedia"]),
      ...lists(de.dictionary, "de", ["wikipedia"]),
    },
    translations: en.translations,
    // Levenshtein matching over these lists takes seconds per password on a small server; exact, l33t and reversed matches stay.
  });
  return factory;
}

/**
 * Why a new password is too weak, in English for the API's 400 (field `password`), or null when it is strong enough:
 * at least MIN_PASSWORD_LENGTH characters and a zxcvbn score of MIN_PASSWORD_SCORE, counting the account's own
 * e-mail address and name (`userInputs`) as known words.
 */
export function passwordWeakness(password: string, userInputs: string[] = []): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `must be at least ${MIN_PASSWORD_LENGTH} characters`;
  const inputs = userInputs.flatMap((input) => [input, ...input.split(/[^\p{L}\p{N}]+/u)]).filter((input) => input.length >= 3);
  const result = estimator().check(password, inputs);
  if (result.score >= MIN_PASSWORD_SCORE) return null;
  const hint = [result.feedback.warning, ...result.feedback.suggestions].filter(Boolean).join(" ");
  return `is too easy to guess (strength ${result.score} of 4, at least ${MIN_PASSWORD_SCORE} needed)${hint ? `: ${hint}` : ""}`;
}

/** 400 validation_failed naming the field `password` unless the new password is strong enough (passwordWeakness). */
export function assertStrongPassword(password: string, userInputs: string[]): void {
  const weakness = passwordWeakness(password, userInputs);
  if (weakness) throw badRequest("validation_failed", `Invalid password: ${weakness}`, { field: "password", fields: [{ field: "password", message: weakness }] });
}
