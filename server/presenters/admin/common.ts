import { z } from "zod";

/** A timestamp in the payload: ISO 8601 in UTC. */
export const timestamp = z.string().describe("ISO 8601 timestamp (UTC)");

/** The payload of one list page of `item`. */
export function pagePayload<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    page: z.number().int(),
    pageSize: z.number().int(),
    total: z.number().int().describe("number of matches over all pages"),
  });
}

/** Turns a fetched page of rows into the list payload. */
export function presentPage<R, T>(page: { rows: R[]; total: number; page: number; pageSize: number }, present: (row: R) => T) {
  return { items: page.rows.map(present), page: page.page, pageSize: page.pageSize, total: page.total };
}
