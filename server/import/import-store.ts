import type { AppContext } from "../context.js";
import { HttpError } from "../errors/http-error.js";
import type { ImportKind, ImportReport } from "./report.js";

/** Where an import stands; kept in Redis so any instance can answer the progress poll. */
export interface ImportJob {
  id: string;
  kind: ImportKind;
  /**
   * queued (stored, waiting for a worker) → validating (the worker reads the header and lookups) → writing (rows are
   * checked and written in batches, in one transaction) → completed; or rejected (rows have problems, nothing
   * written) or failed (error, rolled back).
   */
  status: "queued" | "validating" | "writing" | "completed" | "rejected" | "failed";
  /** Data rows of the file: counted from its lines at upload (blank lines and multi-line cells make it approximate), exact once finished. */
  total: number;
  /** Rows checked (and, while no row has a problem, written) so far, inside the transaction: nothing is visible until completed. */
  processed: number;
  actorAgentId: number;
  startedAt: string;
  finishedAt: string | null;
  durationMs: number | null;
  /** The row-by-row report once finished (problems that stopped the import, or none). */
  report: ImportReport | null;
  /** What was created. */
  result: Record<string, number> | null;
  /** Milliseconds spent reading and checking the file, and writing the rows (inside the transaction). */
  timings: { validateMs: number; writeMs: number } | null;
  error: string | null;
}

/** The largest file an import accepts (a whole customer base, 250,000 reference persons, is about 19 MB). */
export const MAX_UPLOAD_BYTES = 20 * 1024 * 1024;

const JOB_TTL_SECONDS = 24 * 3600;
/** A stored upload waits this long for a worker at most. */
const UPLOAD_TTL_SECONDS = 24 * 3600;
/** Uploads are stored in pieces of about this size (one Redis list entry each). */
const UPLOAD_PIECE_BYTES = 1024 * 1024;
/** A crashed process leaves the lock behind; it expires on its own. A running import renews it. */
export const LOCK_TTL_SECONDS = 15 * 60;

const jobKey = (context: AppContext, id: string) => `${context.env.REDIS_PREFIX}:admin-import:job:${id}`;
const uploadKey = (context: AppContext, id: string) => `${context.env.REDIS_PREFIX}:admin-import:upload:${id}`;
export const lockKey = (context: AppContext) => `${context.env.REDIS_PREFIX}:admin-import:lock`;

/** The state of an import job, or null when unknown or expired. */
export async function readImportJob(context: AppContext, id: string): Promise<ImportJob | null> {
  const raw = await context.redis.get(jobKey(context, id));
  return raw ? (JSON.parse(raw) as ImportJob) : null;
}

export async function saveImportJob(context: AppContext, job: ImportJob): Promise<void> {
  await context.redis.set(jobKey(context, job.id), JSON.stringify(job), "EX", JOB_TTL_SECONDS);
}

/** Releases the one-import-at-a-time lock if this job holds it. */
export async function releaseImportLock(context: AppContext, id: string): Promise<void> {
  const holder = await context.redis.get(lockKey(context));
  if (holder === id) await context.redis.del(lockKey(context));
}

const tooLarge = () => new HttpError(413, "too_large", `Request body too large: a CSV file has at most ${MAX_UPLOAD_BYTES / 1024 / 1024} MB.`);

/** Passes chunks through, refusing (413) the first one past `limit` bytes; a client that stops sending midway is a 400, not a server fault. */
export async function* limitedBytes(source: AsyncIterable<Buffer>, limit = MAX_UPLOAD_BYTES): AsyncGenerator<Buffer> {
  let total = 0;
  try {
    for await (const chunk of source) {
      total += chunk.length;
      if (total > limit) throw tooLarge();
      yield chunk;
    }
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === "ECONNRESET" || code === "ERR_STREAM_PREMATURE_CLOSE") throw new HttpError(400, "upload_aborted", "The upload stopped before the whole file arrived.");
    throw error;
  }
}

/** Checks an upload's headers before its body is read: a CSV media type in UTF-8, not compressed, not over the limit. */
export function checkUploadHeaders(headers: { "content-type"?: string; "content-encoding"?: string; "content-length"?: string }): void {
  const [type = "", ...parameters] = (headers["content-type"] ?? "").split(";").map((part) => part.trim().toLowerCase());
  // Not text/plain: a page on another site can send that cross-origin without a preflight (no-cors fetch, form).
  if (!["text/csv", "application/csv", "application/vnd.ms-excel"].includes(type)) {
    throw new HttpError(415, "unsupported_media_type", "Send the CSV file as a text/csv body.", { field: "content-type" });
  }
  const charset = parameters.find((p) => p.startsWith("charset="))?.slice("charset=".length).replace(/"/g, "");
  if (charset && !["utf-8", "utf8", "us-ascii"].includes(charset)) throw new HttpError(415, "unsupported_charset", "The file must be UTF-8 text.", { field: "content-type" });
  const encoding = (headers["content-encoding"] ?? "identity").trim().toLowerCase();
  if (encoding !== "identity") throw new HttpError(415, "unsupported_encoding", "Send the file uncompressed.", { field: "content-encoding" });
  if (Number(headers["content-length"] ?? 0) > MAX_UPLOAD_BYTES) throw tooLarge();
}

/**
 * Stores an upload in Redis as it arrives, in pieces of about 1 MB, for whichever worker runs the job (no local
 * file: the worker may run on another host). Never more than one piece is in memory. Returns its size and lines.
 */
export async function storeUpload(context: AppContext, id: string, source: AsyncIterable<Buffer>): Promise<{ bytes: number; lines: number }> {
  const key = uploadKey(context, id);
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let bytes = 0;
  let lines = 0;
  let lastByte = -1;
  const push = async () => {
    if (pendingBytes === 0) return;
    await context.redis.multi().rpush(key, Buffer.concat(pending, pendingBytes)).expire(key, UPLOAD_TTL_SECONDS).exec();
    pending = [];
    pendingBytes = 0;
  };
  try {
    for await (const chunk of source) {
      bytes += chunk.length;
      for (let at = chunk.indexOf(10); at >= 0; at = chunk.indexOf(10, at + 1)) lines++;
      if (chunk.length > 0) lastByte = chunk[chunk.length - 1]!;
      pending.push(chunk);
      pendingBytes += chunk.length;
      if (pendingBytes >= UPLOAD_PIECE_BYTES) await push();
    }
    await push();
  } catch (error) {
    await deleteUpload(context, id).catch(() => undefined);
    throw error;
  }
  // A last line without a line end is a line too.
  if (bytes > 0 && lastByte !== 10) lines++;
  return { bytes, lines };
}

/** The stored upload, piece by piece (one Redis round trip per piece, nothing kept). */
export async function* storedUpload(context: AppContext, id: string): AsyncGenerator<Buffer> {
  const key = uploadKey(context, id);
  const pieces = await context.redis.llen(key);
  if (pieces === 0) throw new Error(`The uploaded file of import ${id} is no longer stored.`);
  for (let index = 0; index < pieces; index++) {
    const piece = await context.redis.lindexBuffer(key, index);
    if (!piece) throw new Error(`The uploaded file of import ${id} is no longer stored.`);
    yield piece;
  }
}

export async function deleteUpload(context: AppContext, id: string): Promise<void> {
  await context.redis.del(uploadKey(context, id));
}
