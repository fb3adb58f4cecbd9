import { z } from "zod";
import { PRIORITIES, type Priority } from "../../../../entities/enums.js";
import { pagePayload } from "../../../presenters/admin/common.js";
import { slaPolicyPayload } from "../../../presenters/admin/sla-policy.js";
import { listQuery, text } from "../common-schema.js";

const minutes = z.number().int().min(1).max(525_600, "must be at most one year");

const target = z
  .strictObject({ firstResponseMinutes: minutes, resolutionMinutes: minutes })
  .refine((t) => t.resolutionMinutes >= t.firstResponseMinutes, { path: ["resolutionMinutes"], message: "must not be shorter than firstResponseMinutes" });

/** First-response and resolution targets for every priority (R9). */
export const slaTargets = z.strictObject(Object.fromEntries(PRIORITIES.map((p) => [p, target])) as Record<Priority, typeof target>);

/** Body of POST /sla-policies. */
export const createSlaPolicyBody = z.strictObject({
  name: text(100).describe("unique name"),
  twentyFourSeven: z.boolean().optional().describe("true: clocks run around the clock; default false (business hours, Belgian holidays excluded)"),
  targets: slaTargets,
});

/** Body of PATCH /sla-policies/:id; `targets`, when given, replaces all targets. */
export const updateSlaPolicyBody = createSlaPolicyBody.partial();

/** Query of GET /sla-policies. */
export const listSlaPoliciesQuery = listQuery;

export const slaPolicyPage = pagePayload(slaPolicyPayload);
