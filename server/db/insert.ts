import type { EntityManager, EntityTarget, ObjectLiteral } from "typeorm";
import { leanInsert } from "./lean.js";

/**
 * Inserts one row and returns its generated id, without the SELECT that `save()` adds to reload default
 * columns: append-only rows (events, outbox) are written on every webhook, so the extra round trip counts.
 */
export async function insertRow<T extends ObjectLiteral>(manager: EntityManager, target: EntityTarget<T>, values: { [K in keyof T]?: T[K] }): Promise<number> {
  return leanInsert(manager, target, values as Record<string, unknown>);
}
