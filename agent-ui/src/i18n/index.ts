import type { Catalog, I18n } from "../lib/i18n.js";
import { ApiError } from "../lib/api.js";
import { API_FIELD_LABELS, FieldError, fieldErrorMessage } from "../lib/field-errors.js";
import en from "./en.json";
import fr from "./fr.json";
import nl from "./nl.json";

/** The console's catalogs, one per language it speaks (a test checks that each has every key). */
export const catalogs: Record<string, Catalog> = { nl, fr, en };

/** Languages an agent can choose for the console. */
export const CONSOLE_LANGUAGES = ["nl", "fr", "en"] as const;

/** A clear message for an error, in the agent's language when its id is known, else the server's own words. */
export function errorMessage(i18n: I18n, error: unknown): string {
  if (error instanceof FieldError) return fieldErrorMessage(i18n, error);
  if (error instanceof ApiError && error.id === "validation_failed" && typeof error.details.field === "string" && API_FIELD_LABELS[error.details.field]) {
    return i18n.t("validation.refused", { field: i18n.t(API_FIELD_LABELS[error.details.field]!) });
  }
  if (error instanceof ApiError) {
    const key = `error.${error.id}`;
    const text = i18n.t(key, Object.fromEntries(Object.entries({ ...error.details, name: (error.details.acceptedBy as { name?: string } | null)?.name ?? "" }).map(([k, v]) => [k, String(v ?? "")])));
    return text === key ? error.message : text;
  }
  return error instanceof Error ? error.message : String(error);
}
