import { listAuditEntries } from "../../../commands/admin/audit-log.js";
import type { AppContext } from "../../../context.js";
import { presentAuditEntry } from "../../../presenters/admin/audit-entry.js";
import { presentPage } from "../../../presenters/admin/common.js";
import { ResourceRouter } from "../route-kit.js";
import { auditPage, listAuditQuery } from "./schema.js";

/** /api/admin/audit: the administrative audit trail, newest first. */
export function auditRoutes(context: AppContext): ResourceRouter {
  const api = new ResourceRouter("/audit", "Audit trail");
  api.route({ method: "get", path: "/", summary: "Audit entries (filter by record or actor; q searches the action)", access: "read", query: listAuditQuery, response: auditPage }, async ({ query }) =>
    presentPage(await listAuditEntries(context, query), presentAuditEntry),
  );
  return api;
}
