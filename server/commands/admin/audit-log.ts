import { AuditEntry } from "../../../entities/AuditEntry.js";
import type { CommandContext } from "../transaction.js";
import { fetchPage, whereContains, type ListQuery } from "./listing.js";

/** Audit entries, newest first, optionally for one record or one actor. */
export async function listAuditEntries(context: CommandContext, query: ListQuery & { entityType?: string; entityId?: string; actorAgentId?: number }) {
  const qb = context.dataSource.getRepository(AuditEntry).createQueryBuilder("entry").orderBy("entry.id", "DESC");
  if (query.entityType !== undefined) qb.andWhere("entry.entityType = :entityType", { entityType: query.entityType });
  if (query.entityId !== undefined) qb.andWhere("entry.entityId = :entityId", { entityId: query.entityId });
  if (query.actorAgentId !== undefined) qb.andWhere("entry.actorAgentId = :actorAgentId", { actorAgentId: query.actorAgentId });
  whereContains(qb, ["entry.action"], query.q);
  return fetchPage(qb, query);
}
