import { z } from "zod";
import type { Campus } from "../../../entities/Campus.js";
import { timestamp } from "./common.js";
import { iso } from "../format.js";

export const campusPayload = z.object({
  id: z.number().int(),
  customerId: z.number().int(),
  customer: z.object({ id: z.number().int(), code: z.string(), name: z.string() }).nullable(),
  name: z.string(),
  city: z.string().nullable(),
  createdAt: timestamp,
});
export type CampusPayload = z.infer<typeof campusPayload>;

/** A campus; `customer` is filled when the relation was loaded. */
export function presentCampus(campus: Campus): CampusPayload {
  return {
    id: campus.id,
    customerId: campus.customerId,
    customer: campus.customer ? { id: campus.customer.id, code: campus.customer.code, name: campus.customer.name } : null,
    name: campus.name,
    city: campus.city,
    createdAt: iso(campus.createdAt),
  };
}
