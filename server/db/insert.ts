import type { EntityManager, EntityTarget, ObjectLiteral } from "typeorm";

/**
 * Inserts one row and returns its generated id, without the SELECT that `save()` adds to reload default
 * columns: append-only rows (events, outbox) are written on every webhook, so the extra round trip counts.
 */
export async function insertRow<T extends ObjectLiteral>(manager: EntityManager, target: EntityTarget<T>, values: { [K in keyof T]?: T[K] }): Promise<number> {
  // simple-json columns are typed as plain objects; TypeORM's deep-partial type rejects them, the driver does not.
  const result = await manager.createQueryBuilder().insert().into(target).values(values as never).updateEntity(false).execute();
  const raw = result.raw as { insertId?: number } | number;
  const id = typeof raw === "number" ? raw : Number(raw?.insertId);
  if (!Number.isFinite(id) || id <= 0) throw new Error("insert returned no generated id");
  return id;
}
