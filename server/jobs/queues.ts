import { Queue, type JobsOptions } from "bullmq";
import type { AppContext } from "../context.js";
import { withDeadline } from "../deadline.js";

/**
 * The BullMQ queues, one per area of background work (SPEC §6). Their Redis keys start with
 * env.REDIS_PREFIX (BullMQ's `prefix`), so deployments and test servers sharing a Redis stay apart.
 */
export const QUEUE_NAMES = ["sla", "follow-ups", "callbacks", "remote-sessions", "maintenance", "imports"] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

/** Retention of finished jobs: completed jobs stay a day so a repeated job id is still recognised (idempotency). */
export const RETENTION: Pick<JobsOptions, "removeOnComplete" | "removeOnFail"> = {
  /** Default in BullMQ: kept forever; here a day or the last 5000. */
  removeOnComplete: { age: 24 * 3600, count: 5000 },
  /** Failed jobs stay a week for the board. */
  removeOnFail: { age: 7 * 24 * 3600 },
};

/** How long an enqueue may take before it counts as "Redis down" (the outbox keeps the event). */
const ENQUEUE_TIMEOUT_MS = 5000;

/** The producer side of the queues of one context, on the context's shared Redis connection. */
export class JobQueues {
  private readonly queues = new Map<QueueName, Queue>();
  private wasReady: boolean;

  constructor(private readonly context: AppContext) {
    this.wasReady = context.redis.status === "ready";
    if (!this.wasReady) context.redis.once("ready", () => (this.wasReady = true));
  }

  /**
   * Fails at once while a connection that was up is down: an outage is the outbox relay's business (it backs off and retries), and a
   * command should not wait for ioredis's reconnect attempts. At start-up (never connected yet) it waits.
   */
  private assertConnected(): void {
    if (this.wasReady && this.context.redis.status !== "ready") throw new Error(`Redis is ${this.context.redis.status}: job not enqueued (the outbox keeps it)`);
  }

  /** The queue of this name (created once per context). */
  get(name: QueueName): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      // The shared connection fails commands after a few reconnect attempts, so an enqueue during an
      // outage rejects instead of hanging: the outbox row stays unpublished and the relay retries.
      queue = new Queue(name, { connection: this.context.redis, prefix: this.context.env.REDIS_PREFIX, defaultJobOptions: RETENTION });
      queue.on("error", (error) => this.context.logger.warn({ err: error, queue: name }, "queue error"));
      this.queues.set(name, queue);
    }
    return queue;
  }

  /** Every queue, in QUEUE_NAMES order (for the board and the workers). */
  all(): Queue[] {
    return QUEUE_NAMES.map((name) => this.get(name));
  }

  /** Adds a job; rejects when Redis does not take it in time. */
  async add(queue: QueueName, name: string, data: object, options: JobsOptions): Promise<void> {
    this.assertConnected();
    await withDeadline(this.get(queue).add(name, data, options), ENQUEUE_TIMEOUT_MS, `enqueue of ${name} timed out: Redis does not answer`);
  }

  /** Adds jobs in one round trip (all or none); rejects when Redis does not take them in time. */
  async addBulk(queue: QueueName, jobs: { name: string; data: object; opts: JobsOptions }[]): Promise<void> {
    if (jobs.length === 0) return;
    this.assertConnected();
    await withDeadline(this.get(queue).addBulk(jobs), ENQUEUE_TIMEOUT_MS, `enqueue of ${jobs.length} ${jobs[0]!.name} jobs timed out: Redis does not answer`);
  }

  /** Removes a waiting or delayed job; an active or missing one is left alone (stale jobs check their revision). */
  async remove(queue: QueueName, jobId: string): Promise<void> {
    this.assertConnected();
    const job = await this.get(queue).getJob(jobId);
    if (!job) return;
    const state = await job.getState();
    if (state === "delayed" || state === "waiting" || state === "prioritized") await job.remove().catch(() => undefined);
  }
}

const registry = new WeakMap<AppContext, JobQueues>();

/** The queues of a context; the same instance for the processor, the routes and the board. */
export function jobQueues(context: AppContext): JobQueues {
  let queues = registry.get(context);
  if (!queues) {
    queues = new JobQueues(context);
    registry.set(context, queues);
  }
  return queues;
}
