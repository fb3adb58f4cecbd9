import type { I18n } from "./i18n.js";

/** What is wrong with a form field, checked before anything is sent: each has a sentence in the catalogs. */
export type FieldProblem = "required" | "amount" | "wholeNumber" | "date";

/** A field the agent filled in that cannot be sent as it is; `label` is the catalog key of the field's label. */
export class FieldError extends Error {
  constructor(
    readonly label: string,
    readonly problem: FieldProblem,
  ) {
    super(`${label}: ${problem}`);
    this.name = "FieldError";
  }
}

/** The agent's sentence for a field error, naming the field as the form labels it. */
export function fieldErrorMessage(i18n: I18n, error: FieldError): string {
  return i18n.t(`validation.${error.problem}`, { field: i18n.t(error.label) });
}

/**
 * The label keys of the API's field names, so a 400 `validation_failed` names the field in the agent's words.
 * A field missing here falls back to the server's own message.
 */
export const API_FIELD_LABELS: Record<string, string> = {
  estimateAmountCents: "consent.amount",
  estimateText: "consent.estimateText",
  amountCents: "consent.amount",
  minutes: "billable.minutes",
  description: "billable.description",
  decidedAt: "consent.when",
  personId: "consent.who",
  scheduledAt: "remote.when",
  durationMinutes: "remote.duration",
};

/**
 * An amount in euros as agents type it ("95", "95,50", "€ 1.250,00", "95.5") in cents; null when empty and
 * not required. Anything else is refused, never dropped (R6: the customer is held to the amount told).
 */
export function parseAmountCents(text: string, label: string, required: boolean): number | null {
  const bare = text.replace(/[€\s]/g, "");
  if (bare === "") {
    if (required) throw new FieldError(label, "required");
    return null;
  }
  // A comma is the decimal mark (Belgian usage) and dots group thousands; a lone dot with one or two decimals is one too.
  const normalized = /^\d{1,3}(\.\d{3})+(,\d{1,2})?$/.test(bare) ? bare.replace(/\./g, "").replace(",", ".") : bare.replace(",", ".");
  if (!/^\d+(\.\d{1,2})?$/.test(normalized)) throw new FieldError(label, "amount");
  const cents = Math.round(Number(normalized) * 100);
  if (cents <= 0 || cents > 100_000_000) throw new FieldError(label, "amount");
  return cents;
}

/** A whole number above zero (minutes, counts); anything else is refused naming the field. */
export function parseWholeNumber(text: string, label: string): number {
  const bare = text.trim();
  if (bare === "") throw new FieldError(label, "required");
  if (!/^\d+$/.test(bare) || Number(bare) <= 0 || Number(bare) > 100_000) throw new FieldError(label, "wholeNumber");
  return Number(bare);
}

/** A `datetime-local` value as an ISO instant (Brussels clock); empty gives null unless required. */
export function parseLocalDateTime(text: string, label: string, required: boolean, toIso: (value: string) => string | null): string | null {
  if (text.trim() === "") {
    if (required) throw new FieldError(label, "required");
    return null;
  }
  const iso = toIso(text);
  if (!iso) throw new FieldError(label, "date");
  return iso;
}
