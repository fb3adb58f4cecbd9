import type { EntityManager } from "typeorm";

/** One SELECT: its SQL and parameters, and what its rows become. */
export interface Read<T> {
  sql: string;
  params: unknown[];
  shape(rows: Record<string, unknown>[]): T;
}

type Shaped<R extends readonly Read<unknown>[]> = { -readonly [K in keyof R]: R[K] extends Read<infer T> ? T : never };

/**
 * Runs reads that do not depend on each other. On MariaDB they go in one multi-statement query: a round trip costs
 * the app and the database more CPU than the indexed reads of a screen-pop themselves, and a pop needs several.
 * SQLite runs in-process: one by one. Outside a transaction each read sees what was committed when it ran, as
 * separate queries would.
 */
export async function readTogether<const R extends readonly Read<unknown>[]>(manager: EntityManager, reads: R): Promise<Shaped<R>> {
  if (reads.length < 2 || manager.connection.options.type !== "mysql") {
    const results: unknown[] = [];
    for (const read of reads) results.push(read.shape((await manager.query(read.sql, read.params)) as Record<string, unknown>[]));
    return results as Shaped<R>;
  }
  const raw = (await manager.query(reads.map((read) => read.sql).join(";\n"), reads.flatMap((read) => read.params))) as Record<string, unknown>[][];
  return reads.map((read, index) => read.shape(raw[index]!)) as Shaped<R>;
}

/** Runs one read. */
export async function readOne<T>(manager: EntityManager, read: Read<T>): Promise<T> {
  const [result] = await readTogether(manager, [read] as const);
  return result as T;
}
