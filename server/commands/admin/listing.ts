import type { ObjectLiteral, SelectQueryBuilder } from "typeorm";

/** Page and search of every admin list (`page` counts from 1). */
export interface ListQuery {
  page: number;
  pageSize: number;
  q?: string;
}

/** One page of a list plus the total number of matches. */
export interface Page<T> {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
}

/** A LIKE pattern matching `q` anywhere; `!` escapes wildcards because MariaDB and SQLite read backslashes differently. */
export function containsPattern(q: string): string {
  return `%${q.toLowerCase().replace(/[!%_]/g, (c) => `!${c}`)}%`;
}

/** Restricts the query to rows where any of the columns contains `q` (case-insensitive); no-op for an empty q. */
export function whereContains<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, columns: string[], q: string | undefined, extra: string[] = []): SelectQueryBuilder<T> {
  if (!q) return qb;
  const conditions = [...columns.map((column) => `LOWER(${column}) LIKE :searchPattern ESCAPE '!'`), ...extra];
  return qb.andWhere(`(${conditions.join(" OR ")})`, { searchPattern: containsPattern(q) });
}

/** Runs the query for one page and counts all matches. */
export async function fetchPage<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, query: ListQuery): Promise<{ rows: T[]; total: number; page: number; pageSize: number }> {
  const [rows, total] = await qb.skip((query.page - 1) * query.pageSize).take(query.pageSize).getManyAndCount();
  return { rows, total, page: query.page, pageSize: query.pageSize };
}
