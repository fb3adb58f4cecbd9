import { LANGUAGES, REFERENCE_ROLES, type Language, type ReferenceRole } from "../../entities/enums.js";
import { headerKey } from "./csv.js";

const BOOLEANS: Record<string, boolean> = {
  true: true, false: false, yes: true, no: false, ja: true, nee: false, oui: true, non: false, "1": true, "0": false, x: true, y: true, n: false, j: true,
  betaald: true, onbetaald: false, paid: true, unpaid: false, paye: true, impaye: false,
};

/** Reads yes/no in Dutch, French or English (ja/nee, oui/non, true/false, 1/0, x); null when unreadable. */
export function parseYesNo(value: string): boolean | null {
  return BOOLEANS[headerKey(value)] ?? null;
}

/** Reads a day as ISO (2026-01-31) or Belgian (31/01/2026, 31-1-2026, 31.01.2026) into YYYY-MM-DD; null when not a real date. */
export function parseDay(value: string): string | null {
  let year: number, month: number, day: number;
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(value);
  const belgian = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(value);
  if (iso) [year, month, day] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  else if (belgian) [day, month, year] = [Number(belgian[1]), Number(belgian[2]), Number(belgian[3])];
  else return null;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

const LANGUAGE_NAMES: Record<string, Language> = {
  nederlands: "nl", dutch: "nl", vlaams: "nl", neerlandais: "nl", nlbe: "nl",
  francais: "fr", french: "fr", frans: "fr", frbe: "fr",
  english: "en", engels: "en", anglais: "en",
  deutsch: "de", german: "de", duits: "de", allemand: "de",
};

/** Reads a language code or name (nl, FR, Nederlands, français …); null when unknown. */
export function parseLanguage(value: string): Language | null {
  const key = headerKey(value);
  return (LANGUAGES as readonly string[]).includes(key) ? (key as Language) : (LANGUAGE_NAMES[key] ?? null);
}

const ROLE_NAMES: Record<string, ReferenceRole> = {
  algemeen: "general", algemene: "general", general: "general", generaal: "general",
  technisch: "technical", technische: "technical", technique: "technical", technicien: "technical", tech: "technical",
  campusverantwoordelijke: "campus", site: "campus",
};

/** Reads a reference role in English, Dutch or French (campus, algemeen, technique …); null when unknown. */
export function parseRole(value: string): ReferenceRole | null {
  const key = headerKey(value);
  return (REFERENCE_ROLES as readonly string[]).includes(key) ? (key as ReferenceRole) : (ROLE_NAMES[key] ?? null);
}

/** Splits a cell listing several values ("0470 12 34 56 | 03/123.45.67", "A, B"). */
export function splitList(value: string): string[] {
  return value.split(/[|,;\n]/).map((part) => part.trim()).filter(Boolean);
}
