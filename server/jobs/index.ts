import { UnrecoverableError, Worker, type Job } from "bullmq";
import type { Redis } from "ioredis";
import type { AppContext } from "../context.js";
import type { OutboxProcessor } from "../events/publisher.js";
import { finishedWithin } from "../deadline.js";
import { createRedis } from "../redis/connection.js";
import type { JobKind, JobSummary } from "./kind.js";
import { JOB_KINDS } from "./kinds.js";
import { enqueueFor, JOB_TOPICS } from "./outbox-routes.js";
import { jobQueues, QUEUE_NAMES, RETENTION, type QueueName } from "./queues.js";

/** Jobs one worker runs at once per queue. */
const WORKER_CONCURRENCY = 5;
/** Queues whose jobs run one at a time per worker: a CSV import holds a transaction and much of a CPU for a while. */
const ONE_AT_A_TIME: readonly QueueName[] = ["imports"];

/** How long close() lets active jobs finish before handing them back (they stall and another worker retries them). */
export const CLOSE_GRACE_MS = 20_000;

/**
 * Outbox processor that turns committed events into BullMQ jobs. When Redis is down it throws, the outbox
 * row stays unpublished and the outbox relay retries it once its back-off is over; job ids derived from the outbox id
 * (or entity + revision) make that second delivery harmless.
 */
export function jobsProcessor(context: AppContext): OutboxProcessor {
  jobQueues(context).all(); // connect the queues now, while Redis answers
  return { name: "jobs", topics: JOB_TOPICS, handle: (message) => enqueueFor(context, message) };
}

/**
 * Starts one BullMQ worker per queue (each with its own Redis connection, maxRetriesPerRequest null) and
 * upserts the Job Schedulers of the recurring scans. close() lets active jobs finish (up to `graceMs`,
 * then hands them back).
 */
export async function startWorkers(context: AppContext, options: { queues?: readonly QueueName[] } = {}): Promise<{ close(graceMs?: number): Promise<void> }> {
  const connections: Redis[] = [];
  const workers: Worker[] = [];
  const queueNames = options.queues ?? QUEUE_NAMES;
  for (const queueName of queueNames) {
    const kinds = new Map(JOB_KINDS.filter((kind) => kind.queue === queueName).map((kind) => [kind.name, kind as JobKind<object>]));
    const connection = createRedis(context.redisUrl, { forWorkers: true });
    connections.push(connection);
    const worker = new Worker(queueName, (job: Job) => runJob(context, kinds, job), {
      connection,
      prefix: context.env.REDIS_PREFIX,
      concurrency: ONE_AT_A_TIME.includes(queueName) ? 1 : WORKER_CONCURRENCY,
      // Follow-ups are never urgent to the second; a backlog of them must not take the calls' CPU.
      ...(queueName === "follow-ups" ? { limiter: { max: context.env.FOLLOW_UP_JOBS_PER_SECOND, duration: 1000 } } : {}),
    });
    worker.on("failed", (job, error) => context.logger.warn({ err: error, queue: queueName, job: job?.name, jobId: job?.id, attempts: job?.attemptsMade }, "job failed"));
    worker.on("error", (error) => context.logger.warn({ err: error, queue: queueName }, "worker error"));
    workers.push(worker);
  }
  await upsertSchedulers(context, queueNames);
  // A Redis that restarted without its data forgot the schedulers: put them back when the connection returns.
  const reschedule = () => {
    upsertSchedulers(context, queueNames).catch((error) => context.logger.warn({ err: error }, "job schedulers not restored; retrying on next reconnect"));
  };
  connections[0]!.on("ready", reschedule);
  await Promise.all(workers.map((worker) => worker.waitUntilReady()));

  let closing: Promise<void> | undefined;
  return {
    close(graceMs = CLOSE_GRACE_MS) {
      closing ??= (async () => {
        connections[0]!.off("ready", reschedule);
        await Promise.all(
          workers.map(async (worker) => {
            const inTime = await finishedWithin(worker.close(), graceMs);
            // Jobs still running lose their lock once the connection is gone: BullMQ's stalled-job check
            // hands them to another worker, which runs them again (handlers are idempotent).
            if (!inTime) context.logger.warn({ queue: worker.name }, "active jobs did not finish in time; handing them back");
          }),
        );
        for (const connection of connections) connection.disconnect();
      })();
      return closing;
    },
  };
}

/** Runs a job with the handler of its kind; an unknown name never retries. */
async function runJob(context: AppContext, kinds: Map<string, JobKind<object>>, job: Job): Promise<JobSummary | void> {
  const kind = kinds.get(job.name);
  if (!kind) throw new UnrecoverableError(`no handler for job ${job.name} in queue ${job.queueName}`);
  return kind.handle(context, job.data as object, job);
}

/** Creates or updates the Job Scheduler of every recurring kind (idempotent; every instance may call it). */
export async function upsertSchedulers(context: AppContext, queueNames: readonly QueueName[] = QUEUE_NAMES): Promise<void> {
  const queues = jobQueues(context);
  for (const kind of JOB_KINDS) {
    if (!kind.everyMs || !queueNames.includes(kind.queue)) continue;
    await queues.get(kind.queue as QueueName).upsertJobScheduler(
      kind.name,
      // The first run comes one interval after start-up, not at once: a fleet restarting does not scan in a burst.
      { every: kind.everyMs, startDate: Date.now() + kind.everyMs },
      { name: kind.name, data: {}, opts: { ...RETENTION, attempts: kind.options.attempts, backoff: kind.options.backoff } },
    );
  }
}

export { jobQueues } from "./queues.js";
