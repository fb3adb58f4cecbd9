import { SlaPolicy } from "../../../../entities/SlaPolicy.js";
import { listSlaPolicies, slaPolicyCreator, slaPolicyDeleter, slaPolicyUpdater } from "../../../commands/admin/sla-policies.js";
import type { AppContext } from "../../../context.js";
import { presentSlaPolicy, slaPolicyPayload } from "../../../presenters/admin/sla-policy.js";
import { recordRoutes, ResourceRouter } from "../route-kit.js";
import { createSlaPolicyBody, listSlaPoliciesQuery, slaPolicyPage, updateSlaPolicyBody } from "./schema.js";

/** /api/admin/sla-policies: response and resolution targets per priority (R9). */
export function slaPolicyRoutes(context: AppContext): ResourceRouter {
  return recordRoutes(new ResourceRouter("/sla-policies", "SLA policies"), () => context.dataSource.manager, {
    entity: SlaPolicy,
    label: "SLA policy",
    summaries: { list: "List SLA policies", create: "Create an SLA policy", one: "One SLA policy", change: "Change an SLA policy", delete: "Delete an SLA policy no contract or ticket uses" },
    schemas: { listQuery: listSlaPoliciesQuery, page: slaPolicyPage, create: createSlaPolicyBody, update: updateSlaPolicyBody, payload: slaPolicyPayload },
    list: (query) => listSlaPolicies(context, query),
    create: (props) => slaPolicyCreator(context, props),
    update: (props) => slaPolicyUpdater(context, props),
    remove: (props) => slaPolicyDeleter(context, props),
    present: presentSlaPolicy,
  });
}
