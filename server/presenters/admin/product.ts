import { z } from "zod";
import type { Product } from "../../../entities/Product.js";

export const productPayload = z.object({
  id: z.number().int(),
  code: z.string(),
  name: z.string(),
  spokenNames: z.record(z.string(), z.string()).describe("name spoken by the IVR per language"),
  active: z.boolean(),
});
export type ProductPayload = z.infer<typeof productPayload>;

/** A software package. */
export function presentProduct(product: Product): ProductPayload {
  const spokenNames: Record<string, string> = {};
  for (const [language, name] of Object.entries(product.spokenNames ?? {})) if (typeof name === "string") spokenNames[language] = name;
  return { id: product.id, code: product.code, name: product.name, spokenNames, active: Boolean(product.active) };
}
