import { z } from "zod";
import { PRIORITIES, type Priority } from "../../../entities/enums.js";
import type { SlaPolicy, SlaTarget } from "../../../entities/SlaPolicy.js";

export const slaTargetPayload = z.object({
  firstResponseMinutes: z.number().int(),
  resolutionMinutes: z.number().int(),
});

export const slaPolicyPayload = z.object({
  id: z.number().int(),
  name: z.string(),
  twentyFourSeven: z.boolean().describe("true: clocks run around the clock; false: business hours only"),
  targets: z.object(Object.fromEntries(PRIORITIES.map((p) => [p, slaTargetPayload])) as Record<Priority, typeof slaTargetPayload>),
});
export type SlaPolicyPayload = z.infer<typeof slaPolicyPayload>;

/** An SLA policy with its targets per priority. */
export function presentSlaPolicy(policy: SlaPolicy): SlaPolicyPayload {
  const targets = Object.fromEntries(
    PRIORITIES.map((priority) => {
      const target: Partial<SlaTarget> = policy.targets?.[priority] ?? {};
      return [priority, { firstResponseMinutes: Number(target.firstResponseMinutes ?? 0), resolutionMinutes: Number(target.resolutionMinutes ?? 0) }];
    }),
  ) as SlaPolicyPayload["targets"];
  return { id: policy.id, name: policy.name, twentyFourSeven: Boolean(policy.twentyFourSeven), targets };
}
