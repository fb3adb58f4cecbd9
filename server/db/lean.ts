import type { EntityManager, EntityTarget, ObjectLiteral } from "typeorm";
import type { ColumnMetadata } from "typeorm/metadata/ColumnMetadata.js";

/**
 * Plain SQL for the statements every webhook runs (outbox and event inserts, the call's lock, its update).
 * TypeORM's query builder and entity hydration cost the app more CPU there than the database spends on the
 * statement; these keep its column mapping and value conversions (driver.preparePersistentValue and
 * prepareHydratedValue) without the rest. Anything less hot goes through TypeORM as usual.
 */
interface TableShape {
  table: string;
  columns: Map<string, ColumnMetadata>;
  /** Column list of a SELECT, with the database names. */
  selectList: string;
  updateDate: ColumnMetadata | undefined;
}

/** Column values of an entity, by property (simple-json columns as the plain objects they hold). */
export type ColumnValues<T> = { [K in keyof T]?: T[K] };

const shapes = new WeakMap<object, Map<EntityTarget<ObjectLiteral>, TableShape>>();

function shapeOf(manager: EntityManager, target: EntityTarget<ObjectLiteral>): TableShape {
  let byTarget = shapes.get(manager.connection);
  if (!byTarget) shapes.set(manager.connection, (byTarget = new Map()));
  let shape = byTarget.get(target);
  if (!shape) {
    const metadata = manager.connection.getMetadata(target);
    const escape = (name: string) => manager.connection.driver.escape(name);
    shape = {
      table: escape(metadata.tableName),
      columns: new Map(metadata.columns.map((column) => [column.propertyName, column])),
      selectList: metadata.columns.map((column) => escape(column.databaseName)).join(", "),
      updateDate: metadata.updateDateColumn,
    };
    byTarget.set(target, shape);
  }
  return shape;
}

function columnOf(shape: TableShape, property: string): ColumnMetadata {
  const column = shape.columns.get(property);
  if (!column) throw new Error(`${shape.table} has no column ${property}`);
  return column;
}

/** Values of the given properties, converted for the driver, with their escaped column names. */
function persistent(manager: EntityManager, shape: TableShape, values: Record<string, unknown>): { names: string[]; params: unknown[] } {
  const names: string[] = [];
  const params: unknown[] = [];
  for (const [property, value] of Object.entries(values)) {
    if (value === undefined) continue;
    const column = columnOf(shape, property);
    names.push(manager.connection.driver.escape(column.databaseName));
    params.push(manager.connection.driver.preparePersistentValue(value, column) ?? null);
  }
  return { names, params };
}

/** A statement with its parameters, as runTransaction's final writes take them. */
export interface Statement {
  sql: string;
  params: unknown[];
}

/** The generated id a driver reports for an INSERT (mysql2: a result header; better-sqlite3 through TypeORM: the id). */
export function insertedId(raw: unknown): number {
  const id = typeof raw === "object" && raw !== null ? Number((raw as { insertId?: unknown }).insertId) : Number(raw);
  if (!Number.isFinite(id) || id <= 0) throw new Error("the INSERT returned no generated id");
  return id;
}

/** The INSERT of one row (columns left out take their database defaults). */
export function leanInsertStatement<T extends ObjectLiteral>(manager: EntityManager, target: EntityTarget<T>, values: ColumnValues<T>): Statement {
  const shape = shapeOf(manager, target);
  const { names, params } = persistent(manager, shape, values);
  return { sql: `INSERT INTO ${shape.table} (${names.join(", ")}) VALUES (${names.map(() => "?").join(", ")})`, params };
}

/**
 * INSERT of one row; returns its generated id. No SELECT to reload it, as `save()` does: append-only rows
 * (events, outbox) are written on every webhook.
 */
export async function leanInsert<T extends ObjectLiteral>(manager: EntityManager, target: EntityTarget<T>, values: ColumnValues<T>): Promise<number> {
  const { sql, params } = leanInsertStatement(manager, target, values);
  return insertedId(await manager.query(sql, params));
}

/** The INSERT of several rows with the same properties in one statement. */
export function leanInsertManyStatement(manager: EntityManager, target: EntityTarget<ObjectLiteral>, rows: Record<string, unknown>[]): Statement {
  const shape = shapeOf(manager, target);
  const properties = [...new Set(rows.flatMap((row) => Object.keys(row).filter((key) => row[key] !== undefined)))];
  const names = properties.map((property) => manager.connection.driver.escape(columnOf(shape, property).databaseName));
  const params = rows.flatMap((row) => properties.map((property) => manager.connection.driver.preparePersistentValue(row[property] ?? null, columnOf(shape, property)) ?? null));
  const placeholders = `(${names.map(() => "?").join(", ")})`;
  return { sql: `INSERT INTO ${shape.table} (${names.join(", ")}) VALUES ${rows.map(() => placeholders).join(", ")}`, params };
}

/** The UPDATE of one row by id (the update date column moves with it); null when nothing is to be written. */
export function leanUpdateStatement(manager: EntityManager, target: EntityTarget<ObjectLiteral>, id: number, changes: Record<string, unknown>): Statement | null {
  const shape = shapeOf(manager, target);
  const values = shape.updateDate && !(shape.updateDate.propertyName in changes) ? { ...changes, [shape.updateDate.propertyName]: new Date() } : changes;
  const { names, params } = persistent(manager, shape, values);
  if (names.length === 0) return null;
  return { sql: `UPDATE ${shape.table} SET ${names.map((name) => `${name} = ?`).join(", ")} WHERE ${manager.connection.driver.escape("id")} = ?`, params: [...params, id] };
}

/**
 * SELECT of the first row whose columns equal the given values, as an entity (relations not loaded);
 * `forUpdate` locks it on MariaDB (SQLite's transactions already hold the write lock).
 */
export async function leanFindOne<T extends ObjectLiteral>(manager: EntityManager, target: EntityTarget<T>, where: Record<string, unknown>, options: { forUpdate?: boolean } = {}): Promise<T | null> {
  const shape = shapeOf(manager, target);
  const { names, params } = persistent(manager, shape, where);
  const lock = options.forUpdate && manager.connection.options.type === "mysql" ? " FOR UPDATE" : "";
  const rows = (await manager.query(`SELECT ${shape.selectList} FROM ${shape.table} WHERE ${names.map((name) => `${name} = ?`).join(" AND ")} LIMIT 1${lock}`, params)) as Record<string, unknown>[];
  const row = rows[0];
  if (!row) return null;
  const entity = manager.create(target);
  for (const column of shape.columns.values()) {
    (entity as Record<string, unknown>)[column.propertyName] = manager.connection.driver.prepareHydratedValue(row[column.databaseName], column);
  }
  return entity;
}

/** A value as a statement parameter for one column of `target` (a boolean becomes 1/0 on both drivers, …). */
export function leanParam(manager: EntityManager, target: EntityTarget<ObjectLiteral>, property: string, value: unknown): unknown {
  return manager.connection.driver.preparePersistentValue(value, columnOf(shapeOf(manager, target), property)) ?? null;
}

/** True when a row whose columns equal the given values exists. */
export async function leanExists(manager: EntityManager, target: EntityTarget<ObjectLiteral>, where: Record<string, unknown>): Promise<boolean> {
  const shape = shapeOf(manager, target);
  const { names, params } = persistent(manager, shape, where);
  const rows = (await manager.query(`SELECT 1 AS found FROM ${shape.table} WHERE ${names.map((name) => `${name} = ?`).join(" AND ")} LIMIT 1`, params)) as unknown[];
  return rows.length > 0;
}

/**
 * INSERT of one row, returned as the entity the database now holds without reading it back: the given values,
 * the columns' declared defaults, null for the rest, the creation and update dates as of now (the database's
 * own stamps may differ by the statement's milliseconds).
 */
export async function leanCreate<T extends ObjectLiteral>(manager: EntityManager, target: EntityTarget<T>, values: ColumnValues<T>): Promise<T> {
  const id = await leanInsert(manager, target, values);
  const shape = shapeOf(manager, target);
  const now = new Date();
  const entity = manager.create(target) as Record<string, unknown>;
  for (const column of shape.columns.values()) {
    const given = (values as Record<string, unknown>)[column.propertyName];
    if (given !== undefined) entity[column.propertyName] = given;
    else if (column.isCreateDate || column.isUpdateDate) entity[column.propertyName] = now;
    else entity[column.propertyName] = column.default !== undefined && typeof column.default !== "function" ? column.default : null;
  }
  entity.id = id;
  return entity as T;
}

/**
 * Joined reads in plain SQL: `leanColumns` lists a table's columns under an alias (each named `alias__column`),
 * `leanHydrate` turns that part of a result row back into an entity with the driver's conversions. For reads on
 * every call (the screen-pop, the entitlement check), where TypeORM's query building and hydration cost more CPU
 * than the database spends answering.
 */
export function leanTable(manager: EntityManager, target: EntityTarget<ObjectLiteral>): string {
  return shapeOf(manager, target).table;
}

/** A table's columns as read through one alias: the SELECT list and, per column, the name it comes back under. */
interface AliasedColumns {
  selectList: string;
  fields: [key: string, column: ColumnMetadata][];
}

/** Per table and alias: all columns, and per property list (the same array each time: callers keep it in a constant). */
const aliasedCache = new WeakMap<TableShape, Map<string, { all?: AliasedColumns; some: WeakMap<readonly string[], AliasedColumns> }>>();

function aliased(manager: EntityManager, target: EntityTarget<ObjectLiteral>, alias: string, properties?: readonly string[]): AliasedColumns {
  const shape = shapeOf(manager, target);
  let byAlias = aliasedCache.get(shape);
  if (!byAlias) aliasedCache.set(shape, (byAlias = new Map()));
  let forAlias = byAlias.get(alias);
  if (!forAlias) byAlias.set(alias, (forAlias = { some: new WeakMap() }));
  let found = properties ? forAlias.some.get(properties) : forAlias.all;
  if (!found) {
    const columns = properties ? properties.map((property) => columnOf(shape, property)) : [...shape.columns.values()];
    const fields = columns.map((column): [string, ColumnMetadata] => [`${alias}__${column.databaseName}`, column]);
    found = { selectList: selectList(manager, alias, fields), fields };
    if (properties) forAlias.some.set(properties, found);
    else forAlias.all = found;
  }
  return found;
}

/** The SELECT list of `target`'s columns (or only `properties`) read through `alias`. */
export function leanColumns(manager: EntityManager, target: EntityTarget<ObjectLiteral>, alias: string, properties?: readonly string[]): string {
  return aliased(manager, target, alias, properties).selectList;
}

/**
 * `leanColumns` with NULL in place of every column not in `kept`, under the same names and in the same order: a part of
 * a UNION ALL that needs fewer columns than another (an empty `kept` for a table that part does not join).
 */
export function leanColumnsKeeping(manager: EntityManager, target: EntityTarget<ObjectLiteral>, alias: string, properties: readonly string[] | undefined, kept: readonly string[]): string {
  return selectList(manager, alias, aliased(manager, target, alias, properties).fields, kept);
}

/** `alias.column AS alias__column, …` for these fields; a column not in `kept` (when given) reads as NULL. */
function selectList(manager: EntityManager, alias: string, fields: AliasedColumns["fields"], kept?: readonly string[]): string {
  const escape = (name: string) => manager.connection.driver.escape(name);
  return fields.map(([key, column]) => `${!kept || kept.includes(column.propertyName) ? `${alias}.${escape(column.databaseName)}` : "NULL"} AS ${escape(key)}`).join(", ");
}

/** The entity `alias` holds in a joined row, or null when its id is null (a left join that found nothing). */
export function leanHydrate<T extends ObjectLiteral>(manager: EntityManager, target: EntityTarget<T>, alias: string, row: Record<string, unknown>, properties?: readonly string[]): T | null {
  if (row[`${alias}__id`] === null || row[`${alias}__id`] === undefined) return null;
  const entity = manager.create(target) as Record<string, unknown>;
  const driver = manager.connection.driver;
  for (const [key, column] of aliased(manager, target, alias, properties).fields) entity[column.propertyName] = driver.prepareHydratedValue(row[key], column);
  return entity as T;
}
