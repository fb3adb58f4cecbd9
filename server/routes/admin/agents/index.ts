import { Agent } from "../../../../entities/Agent.js";
import { agentCreator, agentDeleter, agentUpdater, listAgents, passwordSetter } from "../../../commands/admin/agents.js";
import { findOr404 } from "../../../commands/admin/records.js";
import type { AppContext } from "../../../context.js";
import { agentPayload, presentAgent } from "../../../presenters/admin/agent.js";
import { presentPage } from "../../../presenters/admin/common.js";
import { idParams } from "../common-schema.js";
import { ResourceRouter } from "../route-kit.js";
import { agentPage, createAgentBody, listAgentsQuery, setPasswordBody, updateAgentBody } from "./schema.js";

/** /api/admin/agents: desk accounts (agents, supervisors, administrators). */
export function agentRoutes(context: AppContext): ResourceRouter {
  const api = new ResourceRouter("/agents", "Agents");
  api.route({ method: "get", path: "/", summary: "List accounts (search on name and e-mail)", access: "read", query: listAgentsQuery, response: agentPage }, async ({ query }) =>
    presentPage(await listAgents(context, query), presentAgent),
  );
  api.route({ method: "post", path: "/", summary: "Create an account with a password", access: "admin", body: createAgentBody, status: 201, response: agentPayload, errors: [409] }, async ({ body, agent }) => {
    const { password, ...fields } = body;
    return presentAgent(await agentCreator(context, { actorId: agent.id, fields, password }));
  });
  api.route({ method: "get", path: "/:id", summary: "One account", access: "read", params: idParams, response: agentPayload }, async ({ params }) =>
    presentAgent(await findOr404(context.dataSource.manager, Agent, params.id, "Agent")),
  );
  api.route({ method: "patch", path: "/:id", summary: "Change an account (role, languages, active …)", access: "admin", params: idParams, body: updateAgentBody, response: agentPayload, errors: [409] }, async ({ params, body, agent }) =>
    presentAgent(await agentUpdater(context, { actorId: agent.id, id: params.id, fields: body })),
  );
  api.route({ method: "put", path: "/:id/password", summary: "Set a new password (ends the account's other sessions)", access: "admin", params: idParams, body: setPasswordBody, status: 204 }, async ({ params, body, agent }) => {
    await passwordSetter(context, { actorId: agent.id, id: params.id, password: body.password });
  });
  api.route({ method: "delete", path: "/:id", summary: "Delete an account without history", access: "admin", params: idParams, status: 204, errors: [409] }, async ({ params, agent }) => {
    await agentDeleter(context, { actorId: agent.id, id: params.id });
  });
  return api;
}
