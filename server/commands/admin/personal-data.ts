/** The text that replaces erased personal data. */
export const ERASED = "[erased]";

const escapeRegExp = (value: string) => value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * Builds a scrubber that replaces a person's names, e-mail and phone numbers in free text with "[erased]".
 * Names match as whole words in any case; numbers match in E.164, 0032… and national notation with any separators.
 */
export function personalDataScrubber(person: { firstName: string; lastName: string; email: string | null }, e164Numbers: string[]): (text: string) => string {
  // Longest first: at one position the regex takes the first alternative that matches, so the e-mail must win over the first name in it.
  const words = [person.email ?? "", `${person.firstName} ${person.lastName}`, `${person.lastName} ${person.firstName}`, person.firstName, person.lastName]
    .map((w) => w.trim())
    .filter((w) => w.length >= 2 && w !== ERASED);
  const patterns = words.map((word) => `(?<![\\p{L}\\p{N}])${escapeRegExp(word).replace(/\s+/g, "\\s+")}(?![\\p{L}\\p{N}])`);
  for (const e164 of e164Numbers) {
    const digits = e164.replace(/\D/g, "");
    const national = e164.startsWith("+32") ? `0${digits.slice(2)}` : null;
    for (const form of [digits, `00${digits}`, national].filter((f): f is string => Boolean(f))) {
      // Separators people type between digit groups: spaces, dots, slashes, dashes, "(0)".
      patterns.push(`(?<!\\d)\\+?${form.split("").join("(?:[\\s./()-]|\\(0\\))*")}(?!\\d)`);
    }
  }
  if (patterns.length === 0) return (text) => text;
  const regex = new RegExp(patterns.join("|"), "giu");
  return (text) => text.replace(regex, ERASED);
}

/** Applies a text scrubber to every string inside a JSON value (ticket event data, audit changes). */
export function scrubJson<T>(value: T, scrub: (text: string) => string): T {
  if (typeof value === "string") return scrub(value) as T;
  if (Array.isArray(value)) return value.map((item) => scrubJson(item, scrub)) as T;
  if (value && typeof value === "object" && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, scrubJson(item, scrub)])) as T;
  }
  return value;
}
