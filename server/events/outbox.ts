import type { EntityManager, EntityTarget, ObjectLiteral } from "typeorm";
import { OutboxMessage } from "../../entities/OutboxMessage.js";
import { TicketEvent } from "../../entities/TicketEvent.js";
import type { ActorType } from "../../entities/enums.js";
import { leanInsert, leanInsertManyStatement, leanInsertStatement, leanUpdateStatement, type ColumnValues } from "../db/lean.js";
import type { FinalWrite } from "../db/transaction-runner.js";
import { WRITER_LEASE_MS } from "./publisher.js";
import type { OutboxEnvelope, Topic, TopicPayloads } from "./topics.js";

/**
 * A command's view of its transaction: the manager for its reads and writes, and the writes nobody reads back
 * before commit (outbox messages, append-only events, a row's changed columns), which runTransaction sends
 * together with the COMMIT. The outbox messages are published once it commits.
 */
export class OutboxRecorder {
  /** The messages as written (the publisher hands these over after commit without reading them back). */
  readonly written: OutboxEnvelope[] = [];

  /** Writes for the end of the transaction, in the order they were asked for. */
  private readonly pending: FinalWrite[] = [];

  /** Append-only rows, per table, written as one multi-row INSERT after the other final writes. */
  private readonly appends = new Map<EntityTarget<ObjectLiteral>, Record<string, unknown>[]>();

  constructor(readonly manager: EntityManager) {}

  /** Queues a row for the INSERT at the end of the transaction: one statement for several events. */
  appendLater<T extends ObjectLiteral>(target: EntityTarget<T>, values: ColumnValues<T>): void {
    const rows = this.appends.get(target) ?? [];
    rows.push(values as Record<string, unknown>);
    this.appends.set(target, rows);
  }

  /** Queues the UPDATE of one row's columns by id for the end of the transaction (nothing reads them back before). */
  updateLater(target: EntityTarget<ObjectLiteral>, id: number, changes: Record<string, unknown>): void {
    const statement = leanUpdateStatement(this.manager, target, id, changes);
    if (statement) this.pending.push(statement);
  }

  /** The writes left for the end of the transaction (asked for once, by runTransaction). */
  finalWrites(): FinalWrite[] {
    const appends = [...this.appends].map(([target, rows]) => leanInsertManyStatement(this.manager, target, rows));
    this.appends.clear();
    return [...this.pending.splice(0), ...appends];
  }

  /**
   * Writes an outbox message with the transaction (its id is known once committed, before it is published), leased to
   * this process for WRITER_LEASE_MS: it delivers the message after commit, other relays only if it does not.
   */
  async record<T extends Topic>(topic: T, payload: TopicPayloads[T]): Promise<void> {
    const envelope = { id: 0, topic, payload, createdAt: new Date() } as OutboxEnvelope;
    const leasedUntil = new Date(envelope.createdAt.getTime() + WRITER_LEASE_MS);
    const statement = leanInsertStatement(this.manager, OutboxMessage, { topic, payload: payload as unknown as Record<string, unknown>, publishedAt: null, leasedUntil });
    this.pending.push({ ...statement, inserted: (id) => (envelope.id = id) });
    this.written.push(envelope);
  }

  /** Appends a ticket event (audit trail, R10) and announces it; `announce` adds what listeners need besides the ids. */
  async ticketEvent(
    ticketId: number,
    type: string,
    actor: { type: ActorType; id?: number | null },
    data: Record<string, unknown> | null = null,
    announce: Pick<TopicPayloads["ticket.event"], "contactType"> = {},
  ): Promise<TicketEvent> {
    const values = { ticketId, type, actorType: actor.type, actorId: actor.id ?? null, data };
    const id = await leanInsert(this.manager, TicketEvent, values);
    await this.record("ticket.event", { ...announce, ticketId, eventId: id, type });
    return Object.assign(new TicketEvent(), values, { id, createdAt: new Date() });
  }
}
