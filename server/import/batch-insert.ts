import { MoreThan, type EntityManager, type EntityTarget, type FindOptionsSelect, type FindOptionsWhere, type ObjectLiteral } from "typeorm";

/** Rows per INSERT statement: large enough to be fast, small enough for MariaDB's packet and SQLite's variable limits. */
export const BATCH_SIZE = 500;

/**
 * One multi-row INSERT in plain SQL, with TypeORM's column names and value conversions (booleans, simple-json):
 * the query builder spends several times longer building a 500-row INSERT than the database takes to run it,
 * which made it most of a 250,000-row import's time. Every row has the keys of the first; columns left out take
 * their database defaults (createdAt). Returns the driver's raw result (MariaDB: the first id; SQLite: the last).
 */
async function insertMany<T extends ObjectLiteral>(manager: EntityManager, entity: EntityTarget<T>, rows: Record<string, unknown>[]): Promise<unknown> {
  const metadata = manager.connection.getMetadata(entity);
  const driver = manager.connection.driver;
  const columns = Object.keys(rows[0]!).map((property) => {
    const column = metadata.findColumnWithPropertyName(property);
    if (!column) throw new Error(`${metadata.tableName} has no column ${property}`);
    return column;
  });
  const params: unknown[] = [];
  for (const row of rows) for (const column of columns) params.push(driver.preparePersistentValue(row[column.propertyName], column) ?? null);
  const tuple = `(${columns.map(() => "?").join(", ")})`;
  const sql = `INSERT INTO ${driver.escape(metadata.tableName)} (${columns.map((column) => driver.escape(column.databaseName)).join(", ")}) VALUES ${rows.map(() => tuple).join(", ")}`;
  return manager.query(sql, params);
}

/**
 * Inserts rows in one multi-row INSERT and returns their ids in order. Both databases hand out consecutive ids to a
 * multi-row insert (MariaDB's first id, SQLite's last id); the ids are checked against `checkColumn` so a wrong
 * assumption fails the import instead of linking numbers to the wrong person.
 */
export async function insertReturningIds<T extends ObjectLiteral>(manager: EntityManager, entity: EntityTarget<T>, rows: Partial<T>[], checkColumn: keyof T & string): Promise<number[]> {
  if (rows.length === 0) return [];
  const raw = (await insertMany(manager, entity, rows as Record<string, unknown>[])) as { insertId?: number } | number;
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
  for (let i = 0; i < rows.length; i += batchSize) await insertMany(manager, entity as EntityTarget<T>, rows.slice(i, i + batchSize));
}

/** Rows a lookup reads per query: a table of 250,000 persons is never in memory as entities all at once. */
const LOOKUP_PAGE = 5000;

/** Reads matching rows page by page (by id), handing each page to `visit`; only what `visit` keeps stays in memory. */
export async function forEachPage<T extends ObjectLiteral & { id: number }>(
  manager: EntityManager,
  entity: EntityTarget<T>,
  options: { where?: FindOptionsWhere<T>; select: FindOptionsSelect<T> },
  visit: (rows: T[]) => void,
): Promise<void> {
  for (let after = 0; ; ) {
    const rows = await manager.getRepository(entity).find({
      where: { ...options.where, id: MoreThan(after) } as FindOptionsWhere<T>,
      select: { ...options.select, id: true } as FindOptionsSelect<T>,
      order: { id: "ASC" } as never,
      take: LOOKUP_PAGE,
    });
    visit(rows);
    if (rows.length < LOOKUP_PAGE) return;
    after = rows[rows.length - 1]!.id;
  }
}
