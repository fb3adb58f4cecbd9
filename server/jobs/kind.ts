import type { Job, JobsOptions } from "bullmq";
import type { AppContext } from "../context.js";
import { jobQueues, RETENTION, type QueueName } from "./queues.js";

/**
 * One kind of background job: its queue, its retry policy, its schedule when recurring, and its handler.
 * Handlers must be idempotent: BullMQ may run a job twice (a stalled worker, a retry after a partial failure).
 */
export interface JobKind<D extends object = object> {
  /** Job name inside its queue; the workers dispatch on it. */
  readonly name: string;
  readonly queue: QueueName;
  /** Retry policy (attempts, exponential backoff) merged over RETENTION. */
  readonly options: JobsOptions;
  /** Interval of the Job Scheduler that runs this kind on its own (scans); absent for event-driven kinds. */
  readonly everyMs?: number;
  /** May return a summary of what it did, kept as the job's return value (the board shows it). */
  handle(context: AppContext, data: D, job: Job<D>): Promise<JobSummary | void>;
}

/** What a job reports it did (counts, mostly), e.g. how many follow-ups a scan found and enqueued. */
export type JobSummary = Record<string, number | string | boolean>;

/** Declares a job kind (types the data once for enqueue and handler). */
export function defineJob<D extends object>(kind: JobKind<D>): JobKind<D> {
  return { ...kind, options: { ...RETENTION, ...kind.options } };
}

/** Enqueues a job of a kind; `jobId` makes it idempotent (a second add with the same id is ignored). */
export async function enqueue<D extends object>(context: AppContext, kind: JobKind<D>, data: D, extra: { jobId?: string; delay?: number } = {}): Promise<void> {
  const options: JobsOptions = { ...kind.options };
  if (extra.jobId) options.jobId = extra.jobId;
  if (extra.delay && extra.delay > 0) options.delay = Math.round(extra.delay);
  await jobQueues(context).add(kind.queue, kind.name, data, options);
}

/** Priority of jobs a scan finds (BullMQ: jobs without one go first), so a backlog never holds up fresh ones. */
export const SCAN_PRIORITY = 10;

/** Enqueues jobs a scan found, in bulk, behind the jobs that events enqueue (SCAN_PRIORITY). */
export async function enqueueFound<D extends object>(context: AppContext, kind: JobKind<D>, jobs: { data: D; jobId: string }[]): Promise<void> {
  const bulk = jobs.map((job) => ({ name: kind.name, data: job.data, opts: { ...kind.options, jobId: job.jobId, priority: SCAN_PRIORITY } }));
  // Chunks keep one Redis call from carrying a whole backlog.
  for (let start = 0; start < bulk.length; start += 500) await jobQueues(context).addBulk(kind.queue, bulk.slice(start, start + 500));
}

/** Data of jobs that may be told what time it is (tests, replays); scans use it instead of the wall clock. */
export interface ClockData {
  /** ISO instant to use as "now"; absent means the real time. */
  now?: string;
}

/** "Now" for a job: its `now` field when given, else the wall clock. */
export function jobNow(data: ClockData): Date {
  return data.now ? new Date(data.now) : new Date();
}

/** A job id part that BullMQ accepts (no colons, never a bare integer). */
export function jobId(...parts: (string | number)[]): string {
  return parts.map((part) => String(part).replace(/:/g, "-")).join("-");
}
