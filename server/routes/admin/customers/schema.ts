import { z } from "zod";
import { customerPayload } from "../../../presenters/admin/customer.js";
import { pagePayload } from "../../../presenters/admin/common.js";
import { email, listQuery, optionalText, text } from "../common-schema.js";

/** Body of POST /customers. */
export const createCustomerBody = z.strictObject({
  code: text(40).describe("unique customer code, e.g. ZORG-ANTW"),
  name: text(200),
  supplierName: optionalText(200).describe("hardware/infrastructure supplier the desk may notify (R5)"),
  supplierEmail: email.nullable().optional(),
});

/** Body of PATCH /customers/:id: any subset of the fields. */
export const updateCustomerBody = createCustomerBody.partial();

/** Query of GET /customers. */
export const listCustomersQuery = listQuery;

export const customerPage = pagePayload(customerPayload);
