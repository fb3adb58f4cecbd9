import { In, IsNull, LessThan, type DataSource } from "typeorm";
import { OutboxMessage } from "../../entities/OutboxMessage.js";
import type { Logger } from "../logger.js";
import type { OutboxEnvelope, Topic } from "./topics.js";

/** Distinct messages of one batch handled at the same time. */
const PARALLEL_DELIVERIES = 8;

/** Something that reacts to published events: the Socket.IO push, the BullMQ enqueuer. */
export interface OutboxProcessor {
  name: string;
  /** Topics handled; "*" for all. */
  topics: readonly Topic[] | "*";
  /** Must be idempotent: a message may be delivered more than once (after a crash or by the drainer). */
  handle(message: OutboxEnvelope): Promise<void>;
}

/**
 * Publishes committed outbox messages to the processors and marks them published. A message whose
 * processor failed (Redis down) stays unpublished and is retried by the drainer.
 */
export class OutboxPublisher {
  private readonly processors: OutboxProcessor[] = [];
  private drainTimer: NodeJS.Timeout | undefined;
  private draining: Promise<void> | undefined;
  /** Committed ids waiting for the next background flush (a cache of the outbox table, which stays the truth). */
  private pending: number[] = [];
  private flushing: Promise<void> | null = null;

  constructor(private readonly dataSource: DataSource, private readonly logger: Logger) {}

  register(processor: OutboxProcessor): void {
    this.processors.push(processor);
  }

  /**
   * Publishes committed messages in the background, batched with others committed meanwhile, so a webhook
   * answers without waiting for the pushes. A crash before the flush loses nothing: the drainer finds the rows.
   */
  publishSoon(ids: number[]): void {
    if (ids.length === 0) return;
    this.pending.push(...ids);
    this.flushing ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => this.flush());
  }

  /** Resolves once every message handed to publishSoon so far has been through the processors. */
  async idle(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  private async flush(): Promise<void> {
    try {
      while (this.pending.length > 0) {
        const ids = this.pending.splice(0, 500);
        await this.publish(ids).catch((error) => this.logger.warn({ err: error }, "outbox publish failed; the drainer will retry"));
      }
    } finally {
      this.flushing = null;
    }
  }

  /** Publishes the given committed messages now (called right after commit). */
  async publish(ids: number[]): Promise<void> {
    if (ids.length === 0) return;
    const rows = await this.dataSource.getRepository(OutboxMessage).find({ where: { id: In(ids), publishedAt: IsNull() }, order: { id: "ASC" } });
    await this.deliver(rows);
  }

  /** Publishes every unpublished message older than `olderThanMs` (left behind by a crash or an outage). */
  async drain(olderThanMs = 2000, batch = 200): Promise<number> {
    const rows = await this.dataSource.getRepository(OutboxMessage).find({
      where: { publishedAt: IsNull(), createdAt: LessThan(new Date(Date.now() - olderThanMs)) },
      order: { id: "ASC" },
      take: batch,
    });
    await this.deliver(rows);
    return rows.length;
  }

  /** Drains every `intervalMs` until stop(). */
  startDraining(intervalMs = 1000): void {
    const tick = async () => {
      try {
        this.draining = this.drain().then(() => undefined);
        await this.draining;
      } catch (error) {
        this.logger.warn({ err: error }, "outbox drain failed; will retry");
      } finally {
        this.draining = undefined;
        if (this.drainTimer) this.drainTimer = setTimeout(tick, intervalMs);
      }
    };
    this.drainTimer = setTimeout(tick, intervalMs);
  }

  async stop(): Promise<void> {
    if (this.drainTimer) clearTimeout(this.drainTimer);
    this.drainTimer = undefined;
    await this.idle();
    await this.draining;
  }

  /**
   * Runs the processors over a batch. Identical messages (same topic and payload, e.g. several call.updated of one
   * call) are handled once: processors load fresh state, so one delivery shows the latest. Distinct messages run
   * a few at a time; successes are marked published with one UPDATE.
   */
  private async deliver(rows: OutboxMessage[]): Promise<void> {
    if (rows.length === 0) return;
    const repository = this.dataSource.getRepository(OutboxMessage);
    const groups = new Map<string, OutboxMessage[]>();
    for (const row of rows) {
      const key = `${row.topic}:${JSON.stringify(row.payload)}`;
      groups.set(key, [...(groups.get(key) ?? []), row]);
    }
    const published: number[] = [];
    const queue = [...groups.values()];
    const worker = async () => {
      for (let group = queue.shift(); group; group = queue.shift()) {
        const last = group[group.length - 1]!;
        const failures = await this.handle({ id: last.id, topic: last.topic as Topic, payload: last.payload, createdAt: last.createdAt } as OutboxEnvelope);
        if (failures.length === 0) {
          published.push(...group.map((row) => row.id));
          continue;
        }
        this.logger.warn({ outboxIds: group.map((row) => row.id), topic: last.topic, failures }, "outbox message not published; will retry");
        for (const row of group) await repository.update({ id: row.id }, { attempts: row.attempts + 1, lastError: failures.join("; ").slice(0, 500) });
      }
    };
    await Promise.all(Array.from({ length: Math.min(PARALLEL_DELIVERIES, queue.length) }, worker));
    if (published.length > 0) await repository.update({ id: In(published), publishedAt: IsNull() }, { publishedAt: new Date() });
  }

  /** Hands one message to every processor that takes its topic; returns the failures. */
  private async handle(envelope: OutboxEnvelope): Promise<string[]> {
    const failures: string[] = [];
    for (const processor of this.processors) {
      if (processor.topics !== "*" && !processor.topics.includes(envelope.topic)) continue;
      try {
        await processor.handle(envelope);
      } catch (error) {
        failures.push(`${processor.name}: ${(error as Error).message}`);
      }
    }
    return failures;
  }
}
