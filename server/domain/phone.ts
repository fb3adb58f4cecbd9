import { parsePhoneNumberFromString } from "libphonenumber-js";

/** Raised when a string cannot be read as a phone number; the message says what was given. */
export class InvalidPhoneNumberError extends Error {
  constructor(readonly input: string) {
    super(`"${input.slice(0, 40)}" is not a valid phone number`);
    this.name = "InvalidPhoneNumberError";
  }
}

/**
 * Normalises a phone number to E.164, reading national numbers as Belgian: `0470 12 34 56`,
 * `03/123.45.67`, `+32 (0)3 123 45 67` and `0032 3 123 45 67` all work (R2).
 */
export function normalizePhoneNumber(raw: string): string {
  const input = String(raw ?? "").trim();
  // "(0)" is the Belgian habit of showing the trunk prefix inside an international number.
  const cleaned = input.replace(/\(\s*0\s*\)/g, "").replace(/^00(?=[1-9])/, "+");
  if (!/^[+\d][\d\s./()\-]*$/.test(cleaned) || cleaned.replace(/\D/g, "").length < 6) throw new InvalidPhoneNumberError(input);
  const parsed = parsePhoneNumberFromString(cleaned, "BE");
  if (!parsed || !parsed.isValid()) throw new InvalidPhoneNumberError(input);
  return parsed.number;
}

/** Like normalizePhoneNumber, but null for anything that is not a valid number (anonymous caller IDs). */
export function tryNormalizePhoneNumber(raw: string | null | undefined): string | null {
  if (!raw) return null;
  try {
    return normalizePhoneNumber(raw);
  } catch {
    return null;
  }
}
