import { In, IsNull, LessThan, type DataSource } from "typeorm";
import { OutboxMessage } from "../../entities/OutboxMessage.js";
import type { Logger } from "../logger.js";
import type { OutboxEnvelope, Topic } from "./topics.js";

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

  constructor(private readonly dataSource: DataSource, private readonly logger: Logger) {}

  register(processor: OutboxProcessor): void {
    this.processors.push(processor);
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
    await this.draining;
  }

  private async deliver(rows: OutboxMessage[]): Promise<void> {
    const repository = this.dataSource.getRepository(OutboxMessage);
    for (const row of rows) {
      const envelope = { id: row.id, topic: row.topic as Topic, payload: row.payload, createdAt: row.createdAt } as OutboxEnvelope;
      const failures: string[] = [];
      for (const processor of this.processors) {
        if (processor.topics !== "*" && !processor.topics.includes(envelope.topic)) continue;
        try {
          await processor.handle(envelope);
        } catch (error) {
          failures.push(`${processor.name}: ${(error as Error).message}`);
        }
      }
      if (failures.length === 0) {
        await repository.update({ id: row.id, publishedAt: IsNull() }, { publishedAt: new Date() });
      } else {
        this.logger.warn({ outboxId: row.id, topic: row.topic, failures }, "outbox message not published; will retry");
        await repository.update({ id: row.id }, { attempts: row.attempts + 1, lastError: failures.join("; ").slice(0, 500) });
      }
    }
  }
}
