import { randomUUID } from "node:crypto";
import os from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import { Brackets, In, IsNull, type DataSource, type EntityManager } from "typeorm";
import { OutboxMessage } from "../../entities/OutboxMessage.js";
import type { Logger } from "../logger.js";
import type { OutboxEnvelope, Topic } from "./topics.js";

/**
 * How long a freshly written message belongs to the process that wrote it (OutboxRecorder sets its leasedUntil): that
 * process delivers it right after commit, and another relay takes it only if the writer did not (it crashed).
 */
export const WRITER_LEASE_MS = 10_000;

/** Something that reacts to published events: the Socket.IO push, the BullMQ enqueuer. */
export interface OutboxProcessor {
  /** Unique among the processors: a message records the names of the processors that took it. */
  name: string;
  /** Topics handled; "*" for all. */
  topics: readonly Topic[] | "*";
  /** Should be idempotent: a relay that lost its lease while delivering (a stall longer than the lease) may see it redelivered. */
  handle(message: OutboxEnvelope): Promise<void>;
}

/** When a failed message is tried again, and when the relay gives up on it. */
export interface RetryPolicy {
  /** Delay before the first retry; doubled after each further failure. Default 1 s. */
  firstDelayMs: number;
  /** Longest delay between two attempts. Default 60 s. */
  maxDelayMs: number;
  /** Failed attempts after which the message is dead-lettered (deadAt, shown to administrators). Default 20 (about a quarter of an hour). */
  maxAttempts: number;
}

export interface RelayOptions {
  retry?: Partial<RetryPolicy>;
  /** How long a claim holds the rows it took. Default 30 s. */
  leaseMs?: number;
  /** Rows one claim takes at most. Default 100. */
  claimBatch?: number;
  /** The lease owner written on claimed rows. Default host:pid:random. */
  id?: string;
}

const DEFAULT_RETRY: RetryPolicy = { firstDelayMs: 1000, maxDelayMs: 60_000, maxAttempts: 20 };

/** Deliveries running at the same time. */
const PARALLEL_DELIVERIES = 8;

/** A delivery starts only while at least this much of its lease is left, so it ends before another relay may claim the row. */
const LEASE_MARGIN_MS = 3000;

/** How long delivered ids gather before the UPDATE that marks them published (a webhook's few messages: one statement). */
const MARK_WINDOW_MS = 50;

/** The delay before the retry that follows the `attempts`-th failure. */
export function retryDelayMs(policy: RetryPolicy, attempts: number): number {
  return Math.min(policy.firstDelayMs * 2 ** Math.max(0, attempts - 1), policy.maxDelayMs);
}

/** One delivery of a message to the processors that still need it; identical messages in the same state share one. */
interface Delivery {
  ids: number[];
  envelope: OutboxEnvelope;
  /** Failed attempts so far. */
  attempts: number;
  /** Processors that took it already. */
  deliveredTo: string[];
  /** Until when this relay holds the rows (ms since the epoch). */
  leaseEnds: number;
  /** Resolves once the outcome is written (published, or the failure recorded), or the delivery is given up. */
  settled: Promise<void>;
  settle(): void;
}

/**
 * The outbox relay: hands committed messages to the processors, once each.
 *
 * - After commit the writing process delivers its own messages at once, from memory, under the lease they were written
 *   with (WRITER_LEASE_MS): a pop appears without waiting for a poll.
 * - Every relay (each web instance, the worker) claims what is left over: rows whose lease expired (their writer or
 *   claimer crashed) and failed rows whose back-off is over. A claim is a short transaction that selects rows `FOR
 *   UPDATE SKIP LOCKED` (MariaDB; SQLite's single writer serialises claims) and leases them; delivery runs outside it.
 * - Each message records the processors that took it: a retry goes only to the ones that failed. A failure backs off
 *   exponentially; after `maxAttempts` the message is dead-lettered (deadAt) for an administrator to see and retry.
 */
export class OutboxPublisher {
  readonly id: string;
  private readonly processors: OutboxProcessor[] = [];
  private readonly retry: RetryPolicy;
  private readonly leaseMs: number;
  private readonly claimBatch: number;
  /** Deliveries waiting for a slot, by state: messages written here come before what claims found. */
  private readonly waiting = { fresh: new Map<string, Delivery>(), claimed: new Map<string, Delivery>() };
  private readonly running = new Set<Promise<unknown>>();
  private slots = 0;
  private toMark: number[] = [];
  private marking: Promise<void> | undefined;
  private drainTimer: NodeJS.Timeout | undefined;
  private draining: Promise<unknown> | undefined;

  constructor(private readonly dataSource: DataSource, private readonly logger: Logger, options: RelayOptions = {}) {
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.leaseMs = options.leaseMs ?? 30_000;
    this.claimBatch = options.claimBatch ?? 100;
    this.id = options.id ?? `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  }

  register(processor: OutboxProcessor): void {
    if (this.processors.some((known) => known.name === processor.name)) throw new Error(`outbox processor ${processor.name} registered twice`);
    this.processors.push(processor);
  }

  /** Delivers messages this process just committed (called by inTransaction), in the background, under their writer's lease. */
  publishSoon(messages: OutboxEnvelope[]): void {
    for (const envelope of messages) {
      this.enqueue("fresh", { ids: [envelope.id], envelope, attempts: 0, deliveredTo: [], leaseEnds: envelope.createdAt.getTime() + WRITER_LEASE_MS });
    }
    this.fillSlots();
  }

  /** Resolves once every delivery taken up so far has been through the processors and its outcome written. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }

  /** Claims one batch of due rows, delivers them, and resolves (with the number claimed) once their outcome is written. */
  async drain(): Promise<number> {
    const rows = await this.claim();
    const deliveries = rows.map((row) =>
      this.enqueue("claimed", {
        ids: [row.id],
        envelope: { id: row.id, topic: row.topic, payload: row.payload, createdAt: row.createdAt } as OutboxEnvelope,
        attempts: row.attempts,
        deliveredTo: row.deliveredTo ?? [],
        leaseEnds: row.leasedUntil!.getTime(),
      }),
    );
    this.fillSlots();
    await Promise.all(deliveries.map((delivery) => delivery.settled));
    return rows.length;
  }

  /** Claims every `intervalMs` (at once again while claims come back full) until stop(). */
  startDraining(intervalMs = 1000): void {
    const tick = async () => {
      let full = false;
      try {
        this.draining = this.drain();
        full = (await this.draining) === this.claimBatch;
      } catch (error) {
        this.logger.warn({ err: error }, "outbox claim failed; will retry");
      } finally {
        this.draining = undefined;
        if (this.drainTimer) this.drainTimer = setTimeout(tick, full ? 0 : intervalMs);
      }
    };
    this.drainTimer = setTimeout(tick, intervalMs);
  }

  /** Stops claiming and waits for the deliveries under way. */
  async stop(): Promise<void> {
    if (this.drainTimer) clearTimeout(this.drainTimer);
    this.drainTimer = undefined;
    await this.draining?.catch(() => undefined);
    await this.idle();
  }

  /**
   * One short transaction: due rows nobody holds (no lease or an expired one, back-off over, not dead), leased to
   * this relay. Newest first: after an outage the calls waiting now matter more than the closes of
   * calls long gone (handlers load fresh state, jobs carry ids of their own).
   */
  private async claim(): Promise<OutboxMessage[]> {
    const mariadb = this.dataSource.options.type === "mysql";
    const now = new Date();
    const leasedUntil = new Date(now.getTime() + this.leaseMs);
    const claimIn = async (manager: EntityManager) => {
      const query = manager
        .getRepository(OutboxMessage)
        .createQueryBuilder("message")
        .where({ publishedAt: IsNull(), deadAt: IsNull() })
        .andWhere(new Brackets((due) => due.where("message.leasedUntil IS NULL").orWhere("message.leasedUntil < :now", { now })))
        .andWhere(new Brackets((due) => due.where("message.nextAttemptAt IS NULL").orWhere("message.nextAttemptAt <= :now", { now })))
        .orderBy("message.id", "DESC")
        .limit(this.claimBatch);
      if (mariadb) query.setLock("pessimistic_write").setOnLocked("skip_locked");
      const rows = await query.getMany();
      if (rows.length === 0) return rows;
      await manager.getRepository(OutboxMessage).update({ id: In(rows.map((row) => row.id)) }, { leasedUntil, leaseOwner: this.id });
      return rows.map((row) => Object.assign(row, { leasedUntil, leaseOwner: this.id }));
    };
    // READ COMMITTED: the locking read takes no gap locks, so webhooks inserting new rows meanwhile never wait on a claim.
    return mariadb ? this.dataSource.transaction("READ COMMITTED", claimIn) : this.dataSource.transaction(claimIn);
  }

  /** Queues a delivery, or joins an identical one that waits (taken up by fillSlots, once the whole batch waits). */
  private enqueue(line: keyof OutboxPublisher["waiting"], fields: Omit<Delivery, "settled" | "settle">): Delivery {
    const key = `${fields.envelope.topic}:${JSON.stringify(fields.envelope.payload)}:${fields.attempts}:${fields.deliveredTo.join(",")}`;
    const twin = this.waiting.fresh.get(key) ?? this.waiting.claimed.get(key);
    if (twin) {
      // Handlers load fresh state, so one delivery serves both (several call.updated of one call).
      twin.ids.push(...fields.ids);
      twin.leaseEnds = Math.min(twin.leaseEnds, fields.leaseEnds);
      return twin;
    }
    let settle!: () => void;
    const settled = new Promise<void>((resolve) => (settle = resolve));
    const delivery: Delivery = { ...fields, settled, settle };
    this.waiting[line].set(key, delivery);
    return delivery;
  }

  /** Starts delivery slots while deliveries wait and slots are free. */
  private fillSlots(): void {
    while (this.slots < PARALLEL_DELIVERIES && this.waiting.fresh.size + this.waiting.claimed.size > 0) {
      this.slots++;
      this.track(this.runSlot().finally(() => this.slots--));
    }
  }

  /** One delivery slot: takes waiting deliveries, fresh ones first, until none wait. */
  private async runSlot(): Promise<void> {
    for (let delivery = this.takeNext(); delivery; delivery = this.takeNext()) {
      try {
        await this.deliver(delivery);
      } catch (error) {
        // The outcome could not be written (database down): the lease runs out and a relay claims the rows again.
        this.logger.warn({ err: error, outboxIds: delivery.ids }, "outbox delivery outcome not recorded; the rows are claimed again once their lease ends");
        delivery.settle();
      }
    }
  }

  private takeNext(): Delivery | undefined {
    for (const line of [this.waiting.fresh, this.waiting.claimed]) {
      const next = line.entries().next();
      if (next.done) continue;
      line.delete(next.value[0]);
      return next.value[1];
    }
    return undefined;
  }

  /** Hands the message to each processor that still needs it, then records the outcome. */
  private async deliver(delivery: Delivery): Promise<void> {
    if (Date.now() > delivery.leaseEnds - LEASE_MARGIN_MS) {
      // Too late to finish inside the lease: left to whichever relay claims it next, so it is not delivered twice.
      this.logger.warn({ outboxIds: delivery.ids }, "outbox lease nearly over before delivery; left for the next claim");
      delivery.settle();
      return;
    }
    const { envelope } = delivery;
    const deliveredTo = [...delivery.deliveredTo];
    const failures: string[] = [];
    for (const processor of this.processors) {
      if (deliveredTo.includes(processor.name)) continue;
      if (processor.topics !== "*" && !processor.topics.includes(envelope.topic)) continue;
      try {
        await processor.handle(envelope);
        deliveredTo.push(processor.name);
      } catch (error) {
        failures.push(`${processor.name}: ${(error as Error).message}`);
      }
    }
    if (failures.length === 0) {
      this.track(this.markPublished(delivery.ids).finally(delivery.settle));
      return;
    }
    await this.recordFailure(delivery, deliveredTo, failures);
    delivery.settle();
  }

  /** Backs the message off (or dead-letters it), keeping which processors took it, and releases the lease. */
  private async recordFailure(delivery: Delivery, deliveredTo: string[], failures: string[]): Promise<void> {
    const attempts = delivery.attempts + 1;
    const now = Date.now();
    const dead = attempts >= this.retry.maxAttempts;
    const lastError = failures.join("; ").slice(0, 500);
    await this.dataSource.getRepository(OutboxMessage).update(
      { id: In(delivery.ids), publishedAt: IsNull() },
      {
        attempts,
        lastError,
        deliveredTo,
        nextAttemptAt: dead ? null : new Date(now + retryDelayMs(this.retry, attempts)),
        deadAt: dead ? new Date(now) : null,
        leasedUntil: null,
        leaseOwner: null,
      },
    );
    const details = { outboxIds: delivery.ids, topic: delivery.envelope.topic, attempts, failures };
    if (dead) this.logger.error(details, "outbox message dead-lettered after its last attempt; an administrator can retry it");
    else this.logger.warn(details, "outbox message not delivered to every processor; will retry");
  }

  /** Marks delivered messages published: one UPDATE for all delivered within a short window. */
  private markPublished(ids: number[]): Promise<void> {
    this.toMark.push(...ids);
    this.marking ??= (async () => {
      await sleep(MARK_WINDOW_MS);
      this.marking = undefined;
      const batch = this.toMark.splice(0);
      for (let start = 0; start < batch.length; start += 500) {
        const chunk = batch.slice(start, start + 500);
        try {
          await this.dataSource.getRepository(OutboxMessage).update({ id: In(chunk), publishedAt: IsNull() }, { publishedAt: new Date(), leasedUntil: null, leaseOwner: null });
        } catch (error) {
          // Delivered but not marked: claimed again when the lease ends and delivered once more (jobs have ids from the outbox id).
          this.logger.warn({ err: error, outboxIds: chunk }, "could not mark outbox messages published");
        }
      }
    })();
    return this.marking;
  }

  private track(work: Promise<unknown>): void {
    this.running.add(work);
    const done = () => void this.running.delete(work);
    work.then(done, done);
  }
}
