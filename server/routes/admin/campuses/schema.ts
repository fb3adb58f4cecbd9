import { z } from "zod";
import { campusPayload } from "../../../presenters/admin/campus.js";
import { pagePayload } from "../../../presenters/admin/common.js";
import { listQuery, optionalText, queryId, text } from "../common-schema.js";

/** Body of POST /campuses. */
export const createCampusBody = z.strictObject({
  customerId: z.number().int().positive(),
  name: text(200).describe("unique within the customer"),
  city: optionalText(120),
});

/** Body of PATCH /campuses/:id (the customer cannot change). */
export const updateCampusBody = createCampusBody.omit({ customerId: true }).partial();

/** Query of GET /campuses. */
export const listCampusesQuery = listQuery.extend({ customerId: queryId.optional() });

export const campusPage = pagePayload(campusPayload);
