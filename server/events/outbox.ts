import type { EntityManager, EntityTarget, ObjectLiteral } from "typeorm";
import { OutboxMessage } from "../../entities/OutboxMessage.js";
import { TicketEvent } from "../../entities/TicketEvent.js";
import type { ActorType } from "../../entities/enums.js";
import { leanInsert, leanInsertMany, type ColumnValues } from "../db/lean.js";
import type { OutboxEnvelope, Topic, TopicPayloads } from "./topics.js";

/** Collects outbox rows written in one transaction so they can be published once it commits. */
export class OutboxRecorder {
  /** The messages as written (the publisher hands these over after commit without reading them back). */
  readonly written: OutboxEnvelope[] = [];

  /** Append-only rows nobody reads back in this transaction, written per table in one INSERT before commit. */
  private readonly appends = new Map<EntityTarget<ObjectLiteral>, Record<string, unknown>[]>();

  constructor(readonly manager: EntityManager) {}

  /** Queues a row for the INSERT at the end of the transaction (see flushAppends): one round trip for several events. */
  appendLater<T extends ObjectLiteral>(target: EntityTarget<T>, values: ColumnValues<T>): void {
    const rows = this.appends.get(target) ?? [];
    rows.push(values as Record<string, unknown>);
    this.appends.set(target, rows);
  }

  /** Writes the queued rows, one multi-row INSERT per table; called by inTransaction before commit. */
  async flushAppends(): Promise<void> {
    for (const [target, rows] of this.appends) {
      this.appends.delete(target);
      await leanInsertMany(this.manager, target, rows);
    }
  }

  /** Writes an outbox message in the current transaction. */
  async record<T extends Topic>(topic: T, payload: TopicPayloads[T]): Promise<void> {
    const id = await leanInsert(this.manager, OutboxMessage, { topic, payload: payload as unknown as Record<string, unknown>, publishedAt: null });
    this.written.push({ id, topic, payload, createdAt: new Date() } as OutboxEnvelope);
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
