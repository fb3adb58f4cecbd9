import { SlaPolicy } from "../../../../entities/SlaPolicy.js";
import { findOr404 } from "../../../commands/admin/records.js";
import { listSlaPolicies, slaPolicyCreator, slaPolicyDeleter, slaPolicyUpdater } from "../../../commands/admin/sla-policies.js";
import type { AppContext } from "../../../context.js";
import { presentPage } from "../../../presenters/admin/common.js";
import { presentSlaPolicy, slaPolicyPayload } from "../../../presenters/admin/sla-policy.js";
import { idParams } from "../common-schema.js";
import { ResourceRouter } from "../route-kit.js";
import { createSlaPolicyBody, listSlaPoliciesQuery, slaPolicyPage, updateSlaPolicyBody } from "./schema.js";

/** /api/admin/sla-policies: response and resolution targets per priority (R9). */
export function slaPolicyRoutes(context: AppContext): ResourceRouter {
  const api = new ResourceRouter("/sla-policies", "SLA policies");
  api.route({ method: "get", path: "/", summary: "List SLA policies", access: "read", query: listSlaPoliciesQuery, response: slaPolicyPage }, async ({ query }) =>
    presentPage(await listSlaPolicies(context, query), presentSlaPolicy),
  );
  api.route({ method: "post", path: "/", summary: "Create an SLA policy", access: "admin", body: createSlaPolicyBody, status: 201, response: slaPolicyPayload, errors: [409] }, async ({ body, agent }) =>
    presentSlaPolicy(await slaPolicyCreator(context, { actorId: agent.id, fields: body })),
  );
  api.route({ method: "get", path: "/:id", summary: "One SLA policy", access: "read", params: idParams, response: slaPolicyPayload }, async ({ params }) =>
    presentSlaPolicy(await findOr404(context.dataSource.manager, SlaPolicy, params.id, "SLA policy")),
  );
  api.route({ method: "patch", path: "/:id", summary: "Change an SLA policy", access: "admin", params: idParams, body: updateSlaPolicyBody, response: slaPolicyPayload, errors: [409] }, async ({ params, body, agent }) =>
    presentSlaPolicy(await slaPolicyUpdater(context, { actorId: agent.id, id: params.id, fields: body })),
  );
  api.route({ method: "delete", path: "/:id", summary: "Delete an SLA policy no contract or ticket uses", access: "admin", params: idParams, status: 204, errors: [409] }, async ({ params, agent }) => {
    await slaPolicyDeleter(context, { actorId: agent.id, id: params.id });
  });
  return api;
}
