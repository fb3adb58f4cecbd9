import { z } from "zod";
import { pagePayload } from "../../../presenters/admin/common.js";
import { contractPayload } from "../../../presenters/admin/contract.js";
import { isoDay, listQuery, queryFlag, queryId, text } from "../common-schema.js";

const contractFields = z.strictObject({
  reference: text(60).describe("unique contract reference"),
  customerId: z.number().int().positive(),
  validFrom: isoDay.describe("first valid day"),
  validTo: isoDay.describe("last valid day, inclusive"),
  paid: z.boolean().optional().describe("maintenance fee paid (R4); default false"),
  slaPolicyId: z.number().int().positive(),
  productIds: z.array(z.number().int().positive()).max(200).describe("covered products"),
});

/** Body of POST /contracts. */
export const createContractBody = contractFields.refine((c) => c.validTo >= c.validFrom, { path: ["validTo"], message: "must not be before validFrom" });

/** Body of PATCH /contracts/:id (the customer cannot change); `productIds` replaces the covered set. */
export const updateContractBody = contractFields.omit({ customerId: true }).partial();

/** Query of GET /contracts. */
export const listContractsQuery = listQuery.extend({ customerId: queryId.optional(), paid: queryFlag.optional() });

export const contractPage = pagePayload(contractPayload);
