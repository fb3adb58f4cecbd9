import type { Job } from "bullmq";
import type { EntityManager } from "typeorm";
import type { AppContext } from "../context.js";
import { writeAudit } from "../commands/admin/audit.js";
import { inTransaction } from "../commands/transaction.js";
import { BATCH_SIZE } from "./batch-insert.js";
import { contractRowChecker, loadContractLookups, writeContractBatch } from "./contract-import.js";
import { streamCsv, type CsvStream } from "./csv.js";
import { deleteUpload, LOCK_TTL_SECONDS, lockKey, readImportJob, releaseImportLock, saveImportJob, storedUpload, type ImportJob } from "./import-store.js";
import { loadPersonLookups, personRowChecker, writePersonBatch } from "./person-import.js";
import { CsvFileError, ImportRejectedError, MAX_LISTED_PROBLEMS, type ImportKind, type ImportProblem, type ImportReport, type RowChecker } from "./report.js";

/** How one kind of file is checked and written. */
interface KindHandling<P> {
  checker(manager: EntityManager, header: string[], pinSecret: string): Promise<RowChecker<P>>;
  writeBatch(manager: EntityManager, batch: P[], audit: { actorAgentId: number; jobId: string }): Promise<Record<string, number>>;
}

const HANDLING: Record<ImportKind, KindHandling<never>> = {
  persons: {
    checker: async (manager, header, pinSecret) => personRowChecker(header, await loadPersonLookups(manager), pinSecret),
    writeBatch: writePersonBatch,
  } as KindHandling<unknown> as KindHandling<never>,
  contracts: {
    checker: async (manager, header) => contractRowChecker(header, await loadContractLookups(manager)),
    writeBatch: writeContractBatch,
  } as KindHandling<unknown> as KindHandling<never>,
};

/** What reading a file found, and (when it wrote) what it created and how long checking and writing took. */
interface Processed {
  report: ImportReport;
  created: Record<string, number>;
  writeMs: number;
}

/** How often (in rows) a running import tells its progress. */
const PROGRESS_EVERY_ROWS = BATCH_SIZE;

/**
 * Reads a file from a stream and checks every row. With `write`, the valid rows are written in batches as they
 * come, as long as no row had a problem; after the first problem nothing more is written (the caller's
 * transaction rolls back what was), but the rest is still checked so the report lists every problem.
 * Memory: the lookups, the keys seen so far (duplicates within the file), one batch and the listed problems.
 */
async function processFile(
  kind: ImportKind,
  manager: EntityManager,
  source: AsyncIterable<Buffer>,
  pinSecret: string,
  options: { write?: { actorAgentId: number; jobId: string }; progress?: (rows: number) => Promise<void> } = {},
): Promise<Processed> {
  const handling = HANDLING[kind] as KindHandling<unknown>;
  const report: ImportReport = { kind, ok: false, delimiter: null, rows: 0, validRows: 0, problemCount: 0, problems: [] };
  const created: Record<string, number> = {};
  let writeMs = 0;
  let badRows = 0;
  let batch: unknown[] = [];
  const note = (problems: ImportProblem[]) => {
    report.problemCount += problems.length;
    for (const problem of problems) if (report.problems.length < MAX_LISTED_PROBLEMS) report.problems.push(problem);
  };
  const flush = async () => {
    if (!options.write || batch.length === 0 || report.problemCount > 0) return;
    const started = performance.now();
    const counts = await handling.writeBatch(manager, batch, options.write);
    writeMs += performance.now() - started;
    for (const [name, count] of Object.entries(counts)) created[name] = (created[name] ?? 0) + count;
    batch = [];
  };
  let csv: CsvStream | undefined;
  try {
    csv = await streamCsv(source);
    report.delimiter = csv.delimiter;
    const check = await handling.checker(manager, csv.header, pinSecret);
    for await (const item of csv.rows) {
      report.rows++;
      const result = "problem" in item ? { problems: [item.problem], planned: null } : check(item);
      if (result.problems.length > 0) {
        badRows++;
        note(result.problems);
        batch = [];
      } else if (options.write && report.problemCount === 0) {
        batch.push(result.planned);
        if (batch.length >= BATCH_SIZE) await flush();
      }
      if (report.rows % PROGRESS_EVERY_ROWS === 0) await options.progress?.(report.rows);
    }
    await flush();
    report.validRows = report.rows - badRows;
    report.ok = report.problemCount === 0;
  } catch (error) {
    if (!(error instanceof CsvFileError)) throw error;
    // A file that cannot be read (not UTF-8, unclosed quote, unknown columns) is reported as such, alone.
    Object.assign(report, { ok: false, validRows: 0, problemCount: error.problems.length, problems: error.problems.slice(0, MAX_LISTED_PROBLEMS) });
  } finally {
    await csv?.close();
  }
  return { report, created, writeMs: Math.round(writeMs) };
}

/** Checks a file as it is uploaded, without writing anything: every row's problems. */
export async function dryRunImport(context: AppContext, kind: ImportKind, source: AsyncIterable<Buffer>): Promise<ImportReport> {
  return (await processFile(kind, context.dataSource.manager, source, context.env.PIN_SECRET)).report;
}

/** What the BullMQ job reports (the board shows it). */
export type ImportJobSummary = { importJobId: string; status: ImportJob["status"]; rows: number } & Record<string, number | string>;

/**
 * Runs a stored import (the worker's side of an import job): reads the upload back from Redis as a stream, checks
 * and writes it in one transaction, all or nothing, and keeps the job's state in Redis for the progress poll.
 * Running it again (a stalled worker's job handed to another) is harmless: a finished import is left alone,
 * an unfinished one was rolled back with its connection and starts over.
 */
export async function runImportJob(context: AppContext, importJobId: string, bullJob?: Pick<Job, "attemptsMade" | "opts" | "updateProgress">): Promise<ImportJobSummary> {
  const job = await readImportJob(context, importJobId);
  if (!job) return { importJobId, status: "failed", rows: 0, reason: "unknown or expired import job" };
  if (job.status === "completed" || job.status === "rejected" || job.status === "failed") return { importJobId, status: job.status, rows: job.total };
  const lastAttempt = !bullJob || bullJob.attemptsMade + 1 >= (bullJob.opts.attempts ?? 1);
  const started = Date.now();
  const finish = async (changes: Partial<ImportJob>) => {
    Object.assign(job, changes, { finishedAt: new Date().toISOString(), durationMs: Date.now() - Date.parse(job.startedAt) });
    await saveImportJob(context, job);
  };

  // The lock was taken at upload; a job that waited longer than its lifetime takes it again, or gives up.
  const holder = await context.redis.get(lockKey(context));
  if (holder !== importJobId && (await context.redis.set(lockKey(context), importJobId, "EX", LOCK_TTL_SECONDS, "NX")) !== "OK") {
    await finish({ status: "failed", error: "Another import is running; nothing was imported. Start this one again when it has finished." });
    await deleteUpload(context, importJobId);
    return { importJobId, status: "failed", rows: 0, reason: "another import holds the lock" };
  }

  Object.assign(job, { status: "validating", processed: 0, error: null });
  await saveImportJob(context, job);
  let reportedPercent = -1;
  const progress = async (rows: number) => {
    Object.assign(job, { status: "writing", processed: rows, total: Math.max(job.total, rows) });
    await saveImportJob(context, job);
    await context.redis.expire(lockKey(context), LOCK_TTL_SECONDS);
    const percent = Math.min(99, Math.floor((rows / Math.max(job.total, 1)) * 100));
    if (bullJob && percent !== reportedPercent) {
      reportedPercent = percent;
      await bullJob.updateProgress(percent);
    }
  };

  let final = true;
  try {
    const processed = await inTransaction(context, async (tx) => {
      const outcome = await processFile(job.kind, tx.manager, storedUpload(context, importJobId), context.env.PIN_SECRET, {
        write: { actorAgentId: job.actorAgentId, jobId: importJobId },
        progress,
      });
      if (!outcome.report.ok) throw new ImportRejectedError(outcome.report);
      await writeAudit(tx.manager, {
        actorAgentId: job.actorAgentId,
        entityType: job.kind === "persons" ? "reference_person" : "contract",
        entityId: null,
        action: "import",
        changes: { importJobId, rows: outcome.report.rows, ...outcome.created },
      });
      return outcome;
    });
    const rows = processed.report.rows;
    const totalMs = Date.now() - started;
    await finish({
      status: "completed",
      total: rows,
      processed: rows,
      report: processed.report,
      result: processed.created,
      timings: { validateMs: Math.max(0, totalMs - processed.writeMs), writeMs: processed.writeMs },
    });
    context.logger.info({ importJobId, kind: job.kind, rows, durationMs: job.durationMs, timings: job.timings }, "import completed");
    await bullJob?.updateProgress(100);
    return { importJobId, status: "completed", rows, ...processed.created };
  } catch (error) {
    if (error instanceof ImportRejectedError) {
      await finish({ status: "rejected", total: error.report.rows, processed: 0, report: error.report });
      return { importJobId, status: "rejected", rows: error.report.rows, problems: error.report.problemCount };
    }
    context.logger.error({ err: error, importJobId }, "import failed; rolled back");
    final = lastAttempt;
    if (final) await finish({ status: "failed", error: (error as Error).message, processed: 0 });
    else await saveImportJob(context, Object.assign(job, { status: "queued", processed: 0, error: (error as Error).message }));
    throw error;
  } finally {
    if (final) {
      await deleteUpload(context, importJobId).catch(() => undefined);
      await releaseImportLock(context, importJobId).catch(() => undefined);
    }
  }
}
