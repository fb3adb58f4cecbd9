import { contractCreator, contractDeleter, contractUpdater, listContracts, loadContract } from "../../../commands/admin/contracts.js";
import type { AppContext } from "../../../context.js";
import { presentPage } from "../../../presenters/admin/common.js";
import { contractPayload, presentContract } from "../../../presenters/admin/contract.js";
import { idParams } from "../common-schema.js";
import { ResourceRouter } from "../route-kit.js";
import { contractPage, createContractBody, listContractsQuery, updateContractBody } from "./schema.js";

/** /api/admin/contracts: maintenance contracts (R4). */
export function contractRoutes(context: AppContext): ResourceRouter {
  const api = new ResourceRouter("/contracts", "Contracts");
  api.route({ method: "get", path: "/", summary: "List contracts (search on reference and customer)", access: "read", query: listContractsQuery, response: contractPage }, async ({ query }) =>
    presentPage(await listContracts(context, query), presentContract),
  );
  api.route({ method: "post", path: "/", summary: "Create a contract", access: "admin", body: createContractBody, status: 201, response: contractPayload, errors: [409] }, async ({ body, agent }) => {
    const { customerId, ...fields } = body;
    return presentContract(await contractCreator(context, { actorId: agent.id, customerId, fields }));
  });
  api.route({ method: "get", path: "/:id", summary: "One contract", access: "read", params: idParams, response: contractPayload }, async ({ params }) =>
    presentContract(await loadContract(context.dataSource.manager, params.id)),
  );
  api.route({ method: "patch", path: "/:id", summary: "Change a contract", access: "admin", params: idParams, body: updateContractBody, response: contractPayload, errors: [409] }, async ({ params, body, agent }) =>
    presentContract(await contractUpdater(context, { actorId: agent.id, id: params.id, fields: body })),
  );
  api.route({ method: "delete", path: "/:id", summary: "Delete a contract", access: "admin", params: idParams, status: 204 }, async ({ params, agent }) => {
    await contractDeleter(context, { actorId: agent.id, id: params.id });
  });
  return api;
}
