import { setTimeout as sleep } from "node:timers/promises";
import { In, IsNull, LessThan, MoreThan, type DataSource } from "typeorm";
import { OutboxMessage } from "../../entities/OutboxMessage.js";
import type { Logger } from "../logger.js";
import type { OutboxEnvelope, Topic } from "./topics.js";

/** How long delivered ids gather before the UPDATE that marks them published. */
const MARK_WINDOW_MS = 50;

/** Distinct messages handled at the same time. */
const PARALLEL_DELIVERIES = 8;

/** Messages with the same topic and payload (several call.updated of one call) need one delivery: handlers load fresh state. */
const messageKey = (message: { topic: string; payload: unknown }) => `${message.topic}:${JSON.stringify(message.payload)}`;

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
  /**
   * Committed messages waiting for a delivery slot (copies of outbox rows; the table stays the truth), by
   * content: identical messages waiting together (several call.updated of one call) share one delivery, since
   * handlers load fresh state. A Map keeps them in arrival order of their first copy.
   */
  private pending = new Map<string, OutboxEnvelope[]>();
  /**
   * Messages the drainer found left behind (an outage, a crash), waiting like `pending` but taken only when no
   * fresh message waits: after an outage a call arriving now pops at once, not after the backlog.
   */
  private backlog = new Map<string, OutboxEnvelope[]>();
  private active = 0;
  private readonly running = new Set<Promise<void>>();
  /** Delivered ids waiting for the UPDATE that marks them published. */
  private toMark: number[] = [];
  private marking: Promise<void> | null = null;
  /** Who waits for particular messages to be settled (marked published, or their failure recorded): drain(). */
  private readonly settledWaiters = new Map<number, (() => void)[]>();

  constructor(private readonly dataSource: DataSource, private readonly logger: Logger) {}

  register(processor: OutboxProcessor): void {
    this.processors.push(processor);
  }

  /**
   * Publishes committed messages in the background, so a webhook answers without waiting for the pushes. A
   * message is taken up as soon as one of the delivery slots is free (not when a whole batch is done: a pop
   * must not wait behind other calls' work), and identical messages waiting together are handled once. A
   * crash before delivery loses nothing: the drainer finds the rows.
   */
  publishSoon(messages: OutboxEnvelope[], origin: "fresh" | "backlog" = "fresh"): void {
    if (messages.length === 0) return;
    for (const message of messages) {
      const key = messageKey(message);
      // A twin already waiting takes it along, in whichever line it waits.
      const twins = this.pending.get(key) ?? this.backlog.get(key);
      if (twins) twins.push(message);
      else (origin === "fresh" ? this.pending : this.backlog).set(key, [message]);
    }
    while (this.active < PARALLEL_DELIVERIES && this.pending.size + this.backlog.size > 0) {
      this.active++;
      const slot: Promise<void> = this.deliverPending().finally(() => {
        this.active--;
        this.running.delete(slot);
      });
      this.running.add(slot);
    }
  }

  /** Resolves once every message handed to publishSoon so far has been through the processors and marked. */
  async idle(): Promise<void> {
    while (this.running.size > 0 || this.marking) {
      await Promise.all([...this.running]);
      await this.marking;
    }
  }

  /** The oldest waiting fresh message with its identical twins, else the oldest of the backlog; taken out. */
  private takeNext(): OutboxEnvelope[] | undefined {
    for (const line of [this.pending, this.backlog]) {
      const next = line.entries().next();
      if (next.done) continue;
      line.delete(next.value[0]);
      return next.value[1];
    }
    return undefined;
  }

  /** One delivery slot: takes waiting messages (fresh ones first) until none wait. */
  private async deliverPending(): Promise<void> {
    for (let twins = this.takeNext(); twins; twins = this.takeNext()) {
      const last = twins[twins.length - 1]!;
      const ids = twins.map((message) => message.id);
      try {
        const failures = await this.handle(last);
        if (failures.length === 0) {
          this.markSoon(ids);
          continue;
        }
        await this.recordFailure(ids, last.topic, failures);
      } catch (error) {
        this.logger.warn({ err: error }, "outbox publish failed; the drainer will retry");
      }
      this.settled(ids);
    }
  }

  /** Leaves failed messages to the drainer, with the attempt counted and the reason. */
  private async recordFailure(ids: number[], topic: string, failures: string[]): Promise<void> {
    this.logger.warn({ outboxIds: ids, topic, failures }, "outbox message not published; will retry");
    const attempts = this.dataSource.driver.escape("attempts");
    await this.dataSource
      .getRepository(OutboxMessage)
      .createQueryBuilder()
      .update()
      .set({ attempts: () => `${attempts} + 1`, lastError: failures.join("; ").slice(0, 500) })
      .where({ id: In(ids) })
      .execute();
  }

  /** Marks delivered messages published: one UPDATE for all delivered in a short window or while the previous one ran. */
  private markSoon(ids: number[]): void {
    this.toMark.push(...ids);
    this.marking ??= (async () => {
      // A call's webhooks deliver a few messages within milliseconds: mark them with one statement, well before
      // the drainer (2 s) would take them for left behind.
      await sleep(MARK_WINDOW_MS);
      try {
        while (this.toMark.length > 0) {
          const batch = this.toMark.splice(0, 500);
          try {
            await this.dataSource.getRepository(OutboxMessage).update({ id: In(batch), publishedAt: IsNull() }, { publishedAt: new Date() });
          } catch (error) {
            this.logger.warn({ err: error }, "could not mark outbox messages published; the drainer will deliver them again");
          }
          this.settled(batch);
        }
      } finally {
        this.marking = null;
      }
    })();
  }

  private whenSettled(ids: number[]): Promise<void> {
    return Promise.all(ids.map((id) => new Promise<void>((resolve) => this.settledWaiters.set(id, [...(this.settledWaiters.get(id) ?? []), resolve])))).then(() => undefined);
  }

  private settled(ids: number[]): void {
    for (const id of ids) {
      const waiters = this.settledWaiters.get(id);
      this.settledWaiters.delete(id);
      for (const resolve of waiters ?? []) resolve();
    }
  }

  /**
   * Publishes the unpublished messages left behind by a crash (older than `olderThanMs`: younger ones may still be
   * on their way) or by an outage (a delivery failed: retried at once, so waiting callers pop as soon as Redis is back).
   */
  async drain(olderThanMs = 2000, batch = 200): Promise<number> {
    const rows = await this.dataSource.getRepository(OutboxMessage).find({
      where: [
        { publishedAt: IsNull(), createdAt: LessThan(new Date(Date.now() - olderThanMs)) },
        { publishedAt: IsNull(), attempts: MoreThan(0) },
      ],
      // Newest first: after an outage the calls waiting now matter more than the closes of calls long gone
      // (handlers load fresh state and jobs have ids of their own, so the order of delivery changes nothing else).
      order: { id: "DESC" },
      take: batch,
    });
    // Through the same delivery slots as fresh messages; returns once these have been through and marked (not
    // once the publisher is idle: under steady traffic it seldom is, and the next drain would wait for that).
    const envelopes = rows.map(({ id, topic, payload, createdAt }) => ({ id, topic, payload, createdAt }) as OutboxEnvelope);
    const settled = this.whenSettled(envelopes.map((envelope) => envelope.id));
    this.publishSoon(envelopes, "backlog");
    await settled;
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
