import type { EntityManager, EntityTarget, ObjectLiteral } from "typeorm";
import { badRequest, conflict, notFound, type HttpError } from "../../errors/http-error.js";
import { isUniqueViolation } from "../../db/errors.js";

/** Who is acting: the logged-in agent, written to the audit trail. */
export interface Actor {
  actorId: number;
}

/** Loads a row by id or throws 404 naming what was missing. */
export async function findOr404<T extends ObjectLiteral>(manager: EntityManager, entity: EntityTarget<T>, id: number, label: string, relations?: Record<string, boolean>): Promise<T> {
  const row = await manager.getRepository(entity).findOne({ where: { id } as never, relations: relations as never });
  if (!row) throw notFound(`${label} ${id}`);
  return row;
}

/** A 400 for a body field that names a record that does not exist. */
export function unknownReference(field: string, message: string): HttpError {
  return badRequest("unknown_reference", message, { field, fields: [{ field, message }] });
}

/** A 400 for a rule that involves a field (role rules, date order …). */
export function invalidField(field: string, message: string): HttpError {
  return badRequest("validation_failed", message, { field, fields: [{ field, message }] });
}

/** A 409 for a value that must be unique. */
export function duplicate(id: string, field: string, message: string): HttpError {
  return conflict(id, message, { field, fields: [{ field, message }] });
}

/** Runs `work`; a unique-index violation (a concurrent duplicate that slipped past the check) becomes `onDuplicate`. */
export async function guardUnique<T>(work: () => Promise<T>, onDuplicate: () => HttpError): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isUniqueViolation(error)) throw onDuplicate();
    throw error;
  }
}

/** A 409 for deleting a record others still point at; `references` counts them per kind. */
export function stillReferenced(what: string, references: Record<string, number>, hint?: string): HttpError {
  const used = Object.entries(references).filter(([, count]) => count > 0);
  const list = used.map(([kind, count]) => `${count} ${kind}`).join(", ");
  return conflict("still_referenced", `${what} is still referenced by ${list}.${hint ? ` ${hint}` : ""}`, { references: Object.fromEntries(used) });
}

/** Counts rows of `entity` matching `where`, for the still-referenced check. */
export async function countWhere<T extends ObjectLiteral>(manager: EntityManager, entity: EntityTarget<T>, where: Record<string, unknown>): Promise<number> {
  return manager.getRepository(entity).count({ where: where as never });
}

/** True when another row already holds `value` in `column`, compared case-insensitively (MariaDB's collation does, SQLite's not). */
export async function valueTaken<T extends ObjectLiteral>(manager: EntityManager, entity: EntityTarget<T>, column: string, value: string, exceptId?: number, scope?: Record<string, number>): Promise<boolean> {
  const qb = manager.getRepository(entity).createQueryBuilder("row").where(`LOWER(row.${column}) = :value`, { value: value.toLowerCase() });
  if (exceptId !== undefined) qb.andWhere("row.id <> :exceptId", { exceptId });
  for (const [key, scoped] of Object.entries(scope ?? {})) qb.andWhere(`row.${key} = :scope_${key}`, { [`scope_${key}`]: scoped });
  return (await qb.getCount()) > 0;
}
