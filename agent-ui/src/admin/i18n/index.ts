import { ApiError } from "../../lib/api.js";
import type { Catalog, I18n } from "../../lib/i18n.js";
import en from "./en.json";
import fr from "./fr.json";
import nl from "./nl.json";

/** The admin pages' catalogs, one per language (a test checks that each has every key). */
export const adminCatalogs: Record<string, Catalog> = { nl, fr, en };

export const ADMIN_LANGUAGES = ["nl", "fr", "en"] as const;

/** A clear message for an error: translated when its id is known, else the server's own words. */
export function errorText(i18n: I18n, error: unknown): string {
  if (error instanceof ApiError) {
    const key = `error.${error.id}`;
    const text = i18n.t(key);
    if (text !== key) return error.id === "still_referenced" ? `${text} ${error.message}` : text;
    return error.message;
  }
  return error instanceof Error ? error.message : String(error);
}

/** Field → message from a 400/409 answer (`error.fields`); nested paths such as phoneNumbers.0.number stay whole. */
export function fieldErrors(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError)) return {};
  const fields = (error.details.fields as { field: string; message: string }[] | undefined) ?? [];
  const out: Record<string, string> = {};
  for (const { field, message } of fields) out[field] = out[field] ? `${out[field]}; ${message}` : message;
  return out;
}
