import type { EntityManager } from "typeorm";
import { AuditEntry } from "../../../entities/AuditEntry.js";

/** Kinds of administrative records named in the audit trail. */
export type AuditedEntity = "customer" | "campus" | "reference_person" | "product" | "contract" | "sla_policy" | "agent" | "outbox_message";

export interface AuditRecord {
  /** The logged-in agent who made the change. */
  actorAgentId: number;
  entityType: AuditedEntity;
  entityId: number | null;
  /** create, update, delete, import, erase, pin_reset, password_set … */
  action: string;
  /** What changed; never secrets (hashes, PINs, passwords). */
  changes?: Record<string, unknown> | null;
}

/** Writes one audit entry inside the caller's transaction, so the change and its record commit together. */
export async function writeAudit(manager: EntityManager, record: AuditRecord): Promise<void> {
  await manager.getRepository(AuditEntry).insert({
    actorAgentId: record.actorAgentId,
    entityType: record.entityType,
    entityId: record.entityId === null ? null : String(record.entityId),
    action: record.action,
    changes: (record.changes ?? null) as never,
  });
}

/** The fields whose value differs, as {field: {from, to}}; dates and arrays compare by their JSON. */
export function diffFields<T extends object>(before: T, after: T, fields: readonly (keyof T)[]): Record<string, { from: unknown; to: unknown }> {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const field of fields) {
    const from = before[field];
    const to = after[field];
    if (JSON.stringify(from) !== JSON.stringify(to)) changes[String(field)] = { from: from ?? null, to: to ?? null };
  }
  return changes;
}
