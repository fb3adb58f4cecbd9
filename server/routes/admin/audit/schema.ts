import { z } from "zod";
import { auditEntryPayload } from "../../../presenters/admin/audit-entry.js";
import { pagePayload } from "../../../presenters/admin/common.js";
import { listQuery } from "../common-schema.js";

/** Query of GET /audit: newest first, optionally for one record. */
export const listAuditQuery = listQuery.extend({
  entityType: z.enum(["customer", "campus", "reference_person", "product", "contract", "sla_policy", "agent", "outbox_message"]).optional(),
  entityId: z.string().regex(/^\d+$/).optional(),
  actorAgentId: z.coerce.number().int().positive().optional(),
});

export const auditPage = pagePayload(auditEntryPayload);
