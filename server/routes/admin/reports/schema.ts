import { z } from "zod";
import { listQuery, queryFlag } from "../common-schema.js";

/** Query of GET /reports/reference-completeness. */
export const referenceReportQuery = listQuery.extend({ incompleteOnly: queryFlag.optional().describe("only customers that miss a role") });

export const referenceReportLine = z.object({
  customer: z.object({ id: z.number().int(), code: z.string(), name: z.string() }),
  complete: z.boolean(),
  campusesWithoutReference: z.array(z.object({ id: z.number().int(), name: z.string() })),
  hasGeneral: z.boolean(),
  hasTechnical: z.boolean(),
  missing: z.array(z.string()).describe('codes: "campus:<id>", "general", "technical"'),
});

export const referenceReportPage = z.object({
  items: z.array(referenceReportLine),
  page: z.number().int(),
  pageSize: z.number().int(),
  total: z.number().int(),
  incompleteCustomers: z.number().int().describe("customers missing a role, over all pages"),
});
