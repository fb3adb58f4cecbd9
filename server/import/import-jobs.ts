import { randomUUID } from "node:crypto";
import type { AppContext } from "../context.js";
import { conflict } from "../errors/http-error.js";
import { csvImportJob } from "../jobs/csv-import.js";
import { enqueue } from "../jobs/kind.js";
import { deleteUpload, LOCK_TTL_SECONDS, lockKey, releaseImportLock, saveImportJob, storeUpload, type ImportJob } from "./import-store.js";
import type { ImportKind } from "./report.js";

export { dryRunImport } from "./import-run.js";
export { readImportJob, type ImportJob } from "./import-store.js";

/**
 * Starts an all-or-nothing import: stores the upload in Redis as it arrives, records the job (queued) and
 * enqueues the BullMQ job a worker runs; returns the job at once (poll readImportJob for progress).
 * One import runs at a time (across instances), so two files cannot both pass the duplicate checks.
 */
export async function startImport(context: AppContext, props: { kind: ImportKind; upload: AsyncIterable<Buffer>; actorAgentId: number }): Promise<{ job: ImportJob }> {
  const id = randomUUID();
  const locked = await context.redis.set(lockKey(context), id, "EX", LOCK_TTL_SECONDS, "NX");
  if (locked !== "OK") throw conflict("import_running", "Another import is running; try again when it has finished.");
  try {
    const { lines } = await storeUpload(context, id, props.upload);
    const job: ImportJob = {
      id, kind: props.kind, status: "queued", total: Math.max(0, lines - 1), processed: 0, actorAgentId: props.actorAgentId,
      startedAt: new Date().toISOString(), finishedAt: null, durationMs: null, report: null, result: null, timings: null, error: null,
    };
    await saveImportJob(context, job);
    await enqueue(context, csvImportJob, { importJobId: id }, { jobId: `import-${id}` });
    return { job };
  } catch (error) {
    await deleteUpload(context, id).catch(() => undefined);
    await releaseImportLock(context, id).catch(() => undefined);
    throw error;
  }
}
