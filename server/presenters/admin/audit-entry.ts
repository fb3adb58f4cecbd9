import { z } from "zod";
import type { AuditEntry } from "../../../entities/AuditEntry.js";
import { timestamp } from "./common.js";
import { iso } from "../format.js";

export const auditEntryPayload = z.object({
  id: z.number().int(),
  actorAgentId: z.number().int().nullable(),
  entityType: z.string(),
  entityId: z.string().nullable(),
  action: z.string(),
  changes: z.record(z.string(), z.unknown()).nullable(),
  createdAt: timestamp,
});
export type AuditEntryPayload = z.infer<typeof auditEntryPayload>;

/** One line of the administrative audit trail. */
export function presentAuditEntry(entry: AuditEntry): AuditEntryPayload {
  return {
    id: entry.id,
    actorAgentId: entry.actorAgentId,
    entityType: entry.entityType,
    entityId: entry.entityId,
    action: entry.action,
    changes: entry.changes,
    createdAt: iso(entry.createdAt),
  };
}
