import { z } from "zod";
import type { Contract } from "../../../entities/Contract.js";
import { timestamp } from "./common.js";
import { iso } from "../format.js";

export const contractPayload = z.object({
  id: z.number().int(),
  reference: z.string(),
  customerId: z.number().int(),
  customer: z.object({ id: z.number().int(), code: z.string(), name: z.string() }).nullable(),
  validFrom: z.string().describe("first valid day, YYYY-MM-DD"),
  validTo: z.string().describe("last valid day (inclusive), YYYY-MM-DD"),
  paid: z.boolean(),
  slaPolicyId: z.number().int(),
  slaPolicy: z.object({ id: z.number().int(), name: z.string() }).nullable(),
  products: z.array(z.object({ id: z.number().int(), code: z.string(), name: z.string() })),
  createdAt: timestamp,
  updatedAt: timestamp,
});
export type ContractPayload = z.infer<typeof contractPayload>;

/** A maintenance contract with its covered products. */
export function presentContract(contract: Contract): ContractPayload {
  return {
    id: contract.id,
    reference: contract.reference,
    customerId: contract.customerId,
    customer: contract.customer ? { id: contract.customer.id, code: contract.customer.code, name: contract.customer.name } : null,
    validFrom: contract.validFrom,
    validTo: contract.validTo,
    paid: Boolean(contract.paid),
    slaPolicyId: contract.slaPolicyId,
    slaPolicy: contract.slaPolicy ? { id: contract.slaPolicy.id, name: contract.slaPolicy.name } : null,
    products: [...(contract.products ?? [])].sort((a, b) => a.code.localeCompare(b.code)).map((p) => ({ id: p.id, code: p.code, name: p.name })),
    createdAt: iso(contract.createdAt),
    updatedAt: iso(contract.updatedAt),
  };
}
