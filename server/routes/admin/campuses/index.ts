import { Campus } from "../../../../entities/Campus.js";
import { campusCreator, campusDeleter, campusUpdater, listCampuses } from "../../../commands/admin/campuses.js";
import { findOr404 } from "../../../commands/admin/records.js";
import type { AppContext } from "../../../context.js";
import { campusPayload, presentCampus } from "../../../presenters/admin/campus.js";
import { presentPage } from "../../../presenters/admin/common.js";
import { idParams } from "../common-schema.js";
import { ResourceRouter } from "../route-kit.js";
import { campusPage, createCampusBody, listCampusesQuery, updateCampusBody } from "./schema.js";

/** /api/admin/campuses: sites of customers. */
export function campusRoutes(context: AppContext): ResourceRouter {
  const api = new ResourceRouter("/campuses", "Campuses");
  api.route({ method: "get", path: "/", summary: "List campuses (search on name, city, customer)", access: "read", query: listCampusesQuery, response: campusPage }, async ({ query }) =>
    presentPage(await listCampuses(context, query), presentCampus),
  );
  api.route({ method: "post", path: "/", summary: "Create a campus", access: "admin", body: createCampusBody, status: 201, response: campusPayload, errors: [409] }, async ({ body, agent }) =>
    presentCampus(await campusCreator(context, { actorId: agent.id, customerId: body.customerId, fields: body })),
  );
  api.route({ method: "get", path: "/:id", summary: "One campus", access: "read", params: idParams, response: campusPayload }, async ({ params }) =>
    presentCampus(await findOr404(context.dataSource.manager, Campus, params.id, "Campus", { customer: true })),
  );
  api.route({ method: "patch", path: "/:id", summary: "Change a campus", access: "admin", params: idParams, body: updateCampusBody, response: campusPayload, errors: [409] }, async ({ params, body, agent }) =>
    presentCampus(await campusUpdater(context, { actorId: agent.id, id: params.id, fields: body })),
  );
  api.route({ method: "delete", path: "/:id", summary: "Delete a campus nothing refers to", access: "admin", params: idParams, status: 204, errors: [409] }, async ({ params, agent }) => {
    await campusDeleter(context, { actorId: agent.id, id: params.id });
  });
  return api;
}
