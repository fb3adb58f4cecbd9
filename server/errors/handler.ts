import type { ErrorRequestHandler } from "express";
import type { Logger } from "../logger.js";
import { HttpError } from "./http-error.js";

/** Seconds a client is asked to wait before retrying while the database is away. */
export const DATABASE_RETRY_AFTER_SECONDS = 10;

/**
 * Error codes with which the drivers say the database cannot be reached or cannot serve now (rather than that a
 * query is wrong): mysql2's socket and protocol errors, MariaDB's "too many connections" and "shutting down", and
 * better-sqlite3's busy, locked, unopenable and I/O errors.
 */
const UNAVAILABLE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EAI_AGAIN",
  "PROTOCOL_CONNECTION_LOST",
  "PROTOCOL_SEQUENCE_TIMEOUT",
  "ER_CON_COUNT_ERROR",
  "ER_SERVER_SHUTDOWN",
  "ER_SERVER_SHUTDOWN_COMPLETE",
  "SQLITE_BUSY",
  "SQLITE_LOCKED",
  "SQLITE_CANTOPEN",
  "SQLITE_IOERR",
]);

/** True when an error (or what it wraps: typeorm's driverError, a cause) is a driver's "database unavailable". */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== "object" || depth > 3) return false;
  const { code, driverError, cause } = error as { code?: unknown; driverError?: unknown; cause?: unknown };
  // better-sqlite3 extends codes (SQLITE_IOERR_READ, SQLITE_BUSY_SNAPSHOT): the primary code is the prefix.
  if (typeof code === "string" && (UNAVAILABLE_CODES.has(code) || UNAVAILABLE_CODES.has(code.split("_").slice(0, 2).join("_")))) return true;
  // mysql2 marks a connection it has lost as fatal whatever the code.
  if ((error as { fatal?: unknown }).fatal === true && typeof code === "string" && !code.startsWith("ER_")) return true;
  return isDatabaseUnavailable(driverError, depth + 1) || isDatabaseUnavailable(cause, depth + 1);
}

/**
 * Turns errors into JSON answers: HttpError as is, body-parser errors as 400/413, a database that cannot be reached
 * as 503 with Retry-After (the client may try again; it is not a bug of ours), anything else as 500.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    if (error instanceof HttpError) {
      res.status(error.status).json({ error: { id: error.id, message: error.message, ...error.details } });
      return;
    }
    if (isDatabaseUnavailable(error)) {
      logger.warn({ err: error, path: req.path }, "database unavailable; answered 503");
      res.status(503).set("Retry-After", String(DATABASE_RETRY_AFTER_SECONDS)).json({ error: { id: "database_unavailable", message: "The service is temporarily unavailable: try again in a moment." } });
      return;
    }
    const status = typeof error?.status === "number" && error.status >= 400 && error.status < 500 ? error.status : 500;
    if (status === 500) logger.error({ err: error, path: req.path }, "unhandled error");
    const message = status === 413 ? "Request body too large." : status === 500 ? "Internal error." : String(error?.message ?? "Bad request.");
    res.status(status).json({ error: { id: status === 413 ? "too_large" : status === 500 ? "internal" : "bad_request", message } });
  };
}
