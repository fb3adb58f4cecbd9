import { referenceReport } from "../../../commands/admin/reference-report.js";
import { findOr404 } from "../../../commands/admin/records.js";
import { presentReferenceReportLine } from "../../../presenters/admin/reference-report.js";
import type { AppContext } from "../../../context.js";
import { Customer } from "../../../../entities/Customer.js";
import { loadReferenceCompleteness } from "../../../domain/reference-completeness.js";
import { idParams } from "../common-schema.js";
import { ResourceRouter } from "../route-kit.js";
import { referenceReportLine, referenceReportPage, referenceReportQuery } from "./schema.js";

/** /api/admin/reports: the R3 reference-person completeness report. */
export function reportRoutes(context: AppContext): ResourceRouter {
  const api = new ResourceRouter("/reports", "Reports");
  api.route(
    { method: "get", path: "/reference-completeness", summary: "R3: per customer, campuses without a reference person and whether general and technical roles are filled", access: "read", query: referenceReportQuery, response: referenceReportPage },
    async ({ query }) => referenceReport(context, query),
  );
  api.route({ method: "get", path: "/reference-completeness/:id", summary: "R3 report of one customer", access: "read", params: idParams, response: referenceReportLine }, async ({ params }) => {
    const customer = await findOr404(context.dataSource.manager, Customer, params.id, "Customer");
    return presentReferenceReportLine(customer, await loadReferenceCompleteness(context.dataSource.manager, customer.id));
  });
  return api;
}
