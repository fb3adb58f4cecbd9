import { randomUUID } from "node:crypto";
import type { EntityManager } from "typeorm";
import type { AppContext } from "../context.js";
import { writeAudit } from "../commands/admin/audit.js";
import { inTransaction } from "../commands/transaction.js";
import { conflict } from "../errors/http-error.js";
import { loadContractLookups, planContractImport, writeContracts } from "./contract-import.js";
import { readCsv, type CsvTable } from "./csv.js";
import { loadPersonLookups, planPersonImport, writePersons } from "./person-import.js";
import { CsvFileError, ImportRejectedError, type ImportKind, type ImportProblem, type ImportReport } from "./report.js";

/** Where an import stands; kept in Redis so any instance can answer the progress poll. */
export interface ImportJob {
  id: string;
  kind: ImportKind;
  /** validating → writing → completed; or rejected (rows have problems, nothing written) or failed (error, rolled back). */
  status: "validating" | "writing" | "completed" | "rejected" | "failed";
  /** Rows to write (known once validated). */
  total: number;
  /** Rows written so far (inside the transaction: nothing is visible until completed). */
  processed: number;
  actorAgentId: number;
  startedAt: string;
  finishedAt: string | null;
  durationMs: number | null;
  /** Problems that stopped the import. */
  report: ImportReport | null;
  /** What was created. */
  result: Record<string, number> | null;
  /** Milliseconds spent reading and checking the file, and writing the rows (inside the transaction). */
  timings: { validateMs: number; writeMs: number } | null;
  error: string | null;
}

const JOB_TTL_SECONDS = 24 * 3600;
// A crashed process leaves the lock behind; it expires on its own.
const LOCK_TTL_SECONDS = 15 * 60;

const jobKey = (context: AppContext, id: string) => `${context.env.REDIS_PREFIX}:admin-import:job:${id}`;
const lockKey = (context: AppContext) => `${context.env.REDIS_PREFIX}:admin-import:lock`;

interface Plan {
  problems: ImportProblem[];
  rows: number;
  write(manager: EntityManager, audit: { actorAgentId: number; jobId: string }, progress: (done: number) => Promise<void>): Promise<Record<string, number>>;
}

async function plan(kind: ImportKind, manager: EntityManager, text: string, pinSecret: string): Promise<{ report: ImportReport; plan: Plan | null }> {
  let table: CsvTable | undefined;
  try {
    table = readCsv(text);
    let built: Plan;
    if (kind === "persons") {
      const { problems, persons } = planPersonImport(table, await loadPersonLookups(manager), pinSecret);
      built = { problems, rows: persons.length, write: (m, audit, progress) => writePersons(m, persons, audit, progress) };
    } else {
      const { problems, contracts } = planContractImport(table, await loadContractLookups(manager));
      built = { problems, rows: contracts.length, write: (m, audit, progress) => writeContracts(m, contracts, audit, progress) };
    }
    const rows = table.rows.length + table.problems.length;
    const badRows = new Set(built.problems.map((p) => p.row));
    const report: ImportReport = { kind, ok: built.problems.length === 0, delimiter: table.delimiter, rows, validRows: rows - badRows.size, problems: built.problems };
    return { report, plan: built };
  } catch (error) {
    if (!(error instanceof CsvFileError)) throw error;
    const rows = table ? table.rows.length + table.problems.length : 0;
    return { report: { kind, ok: false, delimiter: table?.delimiter ?? null, rows, validRows: 0, problems: error.problems }, plan: null };
  }
}

/** Checks a file without writing anything: every row's problems. */
export async function dryRunImport(context: AppContext, kind: ImportKind, text: string): Promise<ImportReport> {
  return (await plan(kind, context.dataSource.manager, text, context.env.PIN_SECRET)).report;
}

/** The state of an import job, or null when unknown or expired. */
export async function readImportJob(context: AppContext, id: string): Promise<ImportJob | null> {
  const raw = await context.redis.get(jobKey(context, id));
  return raw ? (JSON.parse(raw) as ImportJob) : null;
}

async function saveJob(context: AppContext, job: ImportJob): Promise<void> {
  await context.redis.set(jobKey(context, job.id), JSON.stringify(job), "EX", JOB_TTL_SECONDS);
}

/**
 * Starts an all-or-nothing import in the background and returns its job at once; poll readImportJob for progress.
 * One import runs at a time (across instances), so two files cannot both pass the duplicate checks.
 */
export async function startImport(context: AppContext, props: { kind: ImportKind; text: string; actorAgentId: number; now?: () => number }): Promise<{ job: ImportJob; done: Promise<ImportJob> }> {
  const now = props.now ?? Date.now;
  const id = randomUUID();
  const locked = await context.redis.set(lockKey(context), id, "EX", LOCK_TTL_SECONDS, "NX");
  if (locked !== "OK") throw conflict("import_running", "Another import is running; try again when it has finished.");
  const started = now();
  const job: ImportJob = {
    id, kind: props.kind, status: "validating", total: 0, processed: 0, actorAgentId: props.actorAgentId,
    startedAt: new Date(started).toISOString(), finishedAt: null, durationMs: null, report: null, result: null, timings: null, error: null,
  };
  await saveJob(context, job);
  const finish = async (changes: Partial<ImportJob>) => {
    Object.assign(job, changes, { finishedAt: new Date(now()).toISOString(), durationMs: now() - started });
    await saveJob(context, job);
  };
  const done = (async () => {
    try {
      const result = await inTransaction(context, async (tx) => {
        const { report, plan: built } = await plan(props.kind, tx.manager, props.text, context.env.PIN_SECRET);
        if (!report.ok || !built) throw new ImportRejectedError(report);
        const validated = now();
        job.timings = { validateMs: validated - started, writeMs: 0 };
        Object.assign(job, { status: "writing", total: built.rows });
        await saveJob(context, job);
        const created = await built.write(tx.manager, { actorAgentId: props.actorAgentId, jobId: id }, async (processed) => {
          job.processed = processed;
          await saveJob(context, job);
        });
        await writeAudit(tx.manager, {
          actorAgentId: props.actorAgentId,
          entityType: props.kind === "persons" ? "reference_person" : "contract",
          entityId: null,
          action: "import",
          changes: { importJobId: id, rows: report.rows, ...created },
        });
        job.timings.writeMs = now() - validated;
        return created;
      });
      await finish({ status: "completed", result, processed: job.total });
      context.logger.info({ importJobId: id, kind: props.kind, rows: job.total, durationMs: job.durationMs, timings: job.timings }, "import completed");
    } catch (error) {
      if (error instanceof ImportRejectedError) await finish({ status: "rejected", report: error.report, processed: 0 });
      else {
        context.logger.error({ err: error, importJobId: id }, "import failed; rolled back");
        await finish({ status: "failed", error: (error as Error).message, processed: 0 });
      }
    } finally {
      const holder = await context.redis.get(lockKey(context));
      if (holder === id) await context.redis.del(lockKey(context));
    }
    return job;
  })();
  return { job: { ...job }, done };
}
