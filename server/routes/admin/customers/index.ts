import type { AppContext } from "../../../context.js";
import { customerCreator, customerDeleter, customerUpdater, listCustomers } from "../../../commands/admin/customers.js";
import { findOr404 } from "../../../commands/admin/records.js";
import { Customer } from "../../../../entities/Customer.js";
import { presentPage } from "../../../presenters/admin/common.js";
import { customerPayload, presentCustomer } from "../../../presenters/admin/customer.js";
import { idParams } from "../common-schema.js";
import { ResourceRouter } from "../route-kit.js";
import { createCustomerBody, customerPage, listCustomersQuery, updateCustomerBody } from "./schema.js";

/** /api/admin/customers: care organisations. */
export function customerRoutes(context: AppContext): ResourceRouter {
  const api = new ResourceRouter("/customers", "Customers");
  api.route({ method: "get", path: "/", summary: "List customers (search on code and name)", access: "read", query: listCustomersQuery, response: customerPage }, async ({ query }) => {
    return presentPage(await listCustomers(context, query), presentCustomer);
  });
  api.route({ method: "post", path: "/", summary: "Create a customer", access: "admin", body: createCustomerBody, status: 201, response: customerPayload, errors: [409] }, async ({ body, agent }) =>
    presentCustomer(await customerCreator(context, { actorId: agent.id, fields: body })),
  );
  api.route({ method: "get", path: "/:id", summary: "One customer", access: "read", params: idParams, response: customerPayload }, async ({ params }) =>
    presentCustomer(await findOr404(context.dataSource.manager, Customer, params.id, "Customer")),
  );
  api.route({ method: "patch", path: "/:id", summary: "Change a customer", access: "admin", params: idParams, body: updateCustomerBody, response: customerPayload, errors: [409] }, async ({ params, body, agent }) =>
    presentCustomer(await customerUpdater(context, { actorId: agent.id, id: params.id, fields: body })),
  );
  api.route({ method: "delete", path: "/:id", summary: "Delete a customer nothing refers to", access: "admin", params: idParams, status: 204, errors: [409] }, async ({ params, agent }) => {
    await customerDeleter(context, { actorId: agent.id, id: params.id });
  });
  return api;
}
