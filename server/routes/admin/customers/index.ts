import { Customer } from "../../../../entities/Customer.js";
import { customerCreator, customerDeleter, customerUpdater, listCustomers } from "../../../commands/admin/customers.js";
import type { AppContext } from "../../../context.js";
import { customerPayload, presentCustomer } from "../../../presenters/admin/customer.js";
import { recordRoutes, ResourceRouter } from "../route-kit.js";
import { createCustomerBody, customerPage, listCustomersQuery, updateCustomerBody } from "./schema.js";

/** /api/admin/customers: care organisations. */
export function customerRoutes(context: AppContext): ResourceRouter {
  return recordRoutes(new ResourceRouter("/customers", "Customers"), () => context.dataSource.manager, {
    entity: Customer,
    label: "Customer",
    summaries: { list: "List customers (search on code and name)", create: "Create a customer", one: "One customer", change: "Change a customer", delete: "Delete a customer nothing refers to" },
    schemas: { listQuery: listCustomersQuery, page: customerPage, create: createCustomerBody, update: updateCustomerBody, payload: customerPayload },
    list: (query) => listCustomers(context, query),
    create: (props) => customerCreator(context, props),
    update: (props) => customerUpdater(context, props),
    remove: (props) => customerDeleter(context, props),
    present: presentCustomer,
  });
}
