import { QueryFailedError } from "typeorm";

/** True when the database refused a row because a unique index already holds its key (MariaDB and SQLite). */
export function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const driverError = (error as QueryFailedError & { driverError?: { code?: string; errno?: number } }).driverError;
  return driverError?.code === "ER_DUP_ENTRY" || driverError?.code === "SQLITE_CONSTRAINT_UNIQUE" || driverError?.errno === 1062;
}
