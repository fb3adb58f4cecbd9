import { z } from "zod";
import type { Customer } from "../../entities/Customer.js";
import { HARDWARE_LIKE_CATEGORIES, OUT_OF_SCOPE_CATEGORIES, type OutOfScopeCategory } from "../../entities/enums.js";
import { badRequest } from "../errors/http-error.js";
import { validate } from "../errors/validation.js";

export { HARDWARE_LIKE_CATEGORIES, OUT_OF_SCOPE_CATEGORIES };

/** True for the excluded categories where the desk still diagnoses, advises and may notify the supplier (R5). */
export function isHardwareLike(category: OutOfScopeCategory): boolean {
  return HARDWARE_LIKE_CATEGORIES.includes(category);
}

const text = z.string().trim().max(5000);

/** The shape of a scope verdict as an agent submits it. */
export const scopeVerdictSchema = z.discriminatedUnion("verdict", [
  z.object({ verdict: z.literal("in_scope") }).strict(),
  z
    .object({
      verdict: z.literal("out_of_scope"),
      category: z.enum(OUT_OF_SCOPE_CATEGORIES),
      /** What the desk found (required for hardware-like categories). */
      diagnosis: text.nullish(),
      /** The solution suggested to the customer (required for hardware-like categories). */
      advice: text.nullish(),
      /** Notify the customer's hardware/infrastructure supplier (only where the customer has one). */
      notifySupplier: z.boolean().default(false),
    })
    .strict(),
]);

export type ScopeVerdictInput = z.input<typeof scopeVerdictSchema>;

/** A verdict that passed every R5 check, ready to store on the ticket. */
export interface ScopeDecision {
  verdict: "in_scope" | "out_of_scope";
  category: OutOfScopeCategory | null;
  diagnosis: string | null;
  advice: string | null;
  notifySupplier: boolean;
}

/**
 * R5: checks a scope verdict against the rules. Hardware-like categories need a diagnosis and the advice
 * given; the supplier can only be notified for those, and only when the customer has a supplier on file.
 * Throws a 400 naming the field at fault.
 */
export function checkScopeVerdict(input: unknown, customer: Pick<Customer, "supplierName"> | null): ScopeDecision {
  const parsed = validate(scopeVerdictSchema, input);
  if (parsed.verdict === "in_scope") return { verdict: "in_scope", category: null, diagnosis: null, advice: null, notifySupplier: false };
  const diagnosis = parsed.diagnosis || null;
  const advice = parsed.advice || null;
  if (isHardwareLike(parsed.category)) {
    if (!diagnosis) throw badRequest("scope_diagnosis_required", `For ${parsed.category} problems record the desk's diagnosis.`, { field: "diagnosis" });
    if (!advice) throw badRequest("scope_advice_required", `For ${parsed.category} problems record the advice given to the customer.`, { field: "advice" });
  }
  if (parsed.notifySupplier) {
    if (!isHardwareLike(parsed.category)) {
      throw badRequest("supplier_not_applicable", `The supplier is only notified of hardware-like problems, not of ${parsed.category}.`, { field: "notifySupplier" });
    }
    if (!customer?.supplierName) {
      throw badRequest("no_supplier", "This customer has no supplier on file to notify.", { field: "notifySupplier" });
    }
  }
  return { verdict: "out_of_scope", category: parsed.category, diagnosis, advice, notifySupplier: parsed.notifySupplier };
}
