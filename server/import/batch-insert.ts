import type { EntityManager, EntityTarget, ObjectLiteral } from "typeorm";

/** Rows per INSERT statement: large enough to be fast, small enough for MariaDB's packet and SQLite's variable limits. */
export const BATCH_SIZE = 500;

/**
 * Inserts rows in one multi-row INSERT and returns their ids in order. Both databases hand out consecutive ids to a
 * multi-row insert (MariaDB's first id, SQLite's last id); the ids are checked against `checkColumn` so a wrong
 * assumption fails the import instead of linking numbers to the wrong person.
 */
export async function insertReturningIds<T extends ObjectLiteral>(manager: EntityManager, entity: EntityTarget<T>, rows: Partial<T>[], checkColumn: keyof T & string): Promise<number[]> {
  if (rows.length === 0) return [];
  const result = await manager.createQueryBuilder().insert().into(entity).values(rows as never).updateEntity(false).execute();
  const raw = result.raw as { insertId?: number } | number;
  const first = typeof raw === "number" ? raw - rows.length + 1 : Number(raw.insertId);
  const ids = rows.map((_, i) => first + i);
  const metadata = manager.connection.getMetadata(entity);
  const stored = await manager
    .createQueryBuilder()
    .select([`row.id AS id`, `row.${checkColumn} AS checkValue`])
    .from(metadata.target, "row")
    .where("row.id BETWEEN :first AND :last", { first, last: ids[ids.length - 1] })
    .orderBy("row.id", "ASC")
    .getRawMany<{ id: number; checkValue: unknown }>();
  const matches = stored.length === rows.length && stored.every((s, i) => Number(s.id) === ids[i] && String(s.checkValue) === String(rows[i]![checkColumn]));
  if (!matches) throw new Error(`Inserted ${metadata.tableName} rows did not get consecutive ids; import rolled back.`);
  return ids;
}

/** Inserts rows in batches without reading anything back. */
export async function insertAll<T extends ObjectLiteral>(manager: EntityManager, entity: EntityTarget<T> | string, rows: Record<string, unknown>[], batchSize = BATCH_SIZE): Promise<void> {
  for (let i = 0; i < rows.length; i += batchSize) {
    await manager.createQueryBuilder().insert().into(entity as EntityTarget<T>).values(rows.slice(i, i + batchSize) as never).updateEntity(false).execute();
  }
}
