import { z } from "zod";
import type { Customer } from "../../../entities/Customer.js";
import { timestamp } from "./common.js";
import { iso } from "../format.js";

export const customerPayload = z.object({
  id: z.number().int(),
  code: z.string(),
  name: z.string(),
  supplierName: z.string().nullable(),
  supplierEmail: z.string().nullable(),
  createdAt: timestamp,
  updatedAt: timestamp,
});
export type CustomerPayload = z.infer<typeof customerPayload>;

/** A customer as the admin API shows it. */
export function presentCustomer(customer: Customer): CustomerPayload {
  return {
    id: customer.id,
    code: customer.code,
    name: customer.name,
    supplierName: customer.supplierName,
    supplierEmail: customer.supplierEmail,
    createdAt: iso(customer.createdAt),
    updatedAt: iso(customer.updatedAt),
  };
}
