/**
 * True when the database refused a row because a unique index already holds its key: MariaDB's ER_DUP_ENTRY
 * (errno 1062), SQLite's unique or primary-key constraint. Other constraint failures (foreign key, NOT NULL)
 * are not this and must not be treated as a twin that got there first.
 */
export function isUniqueViolation(error: unknown): boolean {
  const driverError = (error as { driverError?: { code?: string; errno?: number } } | null)?.driverError ?? (error as { code?: string; errno?: number } | null);
  const code = driverError?.code;
  return code === "ER_DUP_ENTRY" || driverError?.errno === 1062 || code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY";
}
