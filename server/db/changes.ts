import type { EntityManager, EntityTarget, ObjectLiteral } from "typeorm";

/** An entity's column values as loaded, to write back only what changed (see changedColumns). */
export type ColumnSnapshot = Map<string, string>;

/** Comparable form of a column value (dates by instant, JSON columns by content). */
function comparable(value: unknown): string {
  return value instanceof Date ? `date:${value.getTime()}` : JSON.stringify(value ?? null);
}

/** The columns a change may write: not the key, not the timestamps TypeORM maintains. */
function writableColumns(manager: EntityManager, target: EntityTarget<ObjectLiteral>) {
  return manager.connection.getMetadata(target).columns.filter((column) => !column.isPrimary && !column.isCreateDate && !column.isUpdateDate && !column.isVersion);
}

/** Remembers the column values of a loaded entity. */
export function snapshotColumns<T extends ObjectLiteral>(manager: EntityManager, target: EntityTarget<T>, entity: T): ColumnSnapshot {
  return new Map(writableColumns(manager, target).map((column) => [column.propertyName, comparable(entity[column.propertyName])]));
}

/**
 * The columns that differ from the snapshot, to write with one UPDATE (OutboxRecorder.updateLater), or null when
 * none changed. `save()` would first SELECT the row again to find the differences; on a webhook's hot path that
 * round trip counts.
 */
export function changedColumns<T extends ObjectLiteral>(entity: T, snapshot: ColumnSnapshot): Record<string, unknown> | null {
  const changes: Record<string, unknown> = {};
  for (const [property, before] of snapshot) {
    if (comparable(entity[property]) !== before) changes[property] = entity[property] ?? null;
  }
  return Object.keys(changes).length === 0 ? null : changes;
}
