import type { EntityManager } from "typeorm";
import { OutboxMessage } from "../../entities/OutboxMessage.js";
import { TicketEvent } from "../../entities/TicketEvent.js";
import type { ActorType } from "../../entities/enums.js";
import type { Topic, TopicPayloads } from "./topics.js";

/** Collects outbox rows written in one transaction so they can be published once it commits. */
export class OutboxRecorder {
  readonly written: number[] = [];

  constructor(readonly manager: EntityManager) {}

  /** Writes an outbox message in the current transaction. */
  async record<T extends Topic>(topic: T, payload: TopicPayloads[T]): Promise<void> {
    const row = await this.manager.getRepository(OutboxMessage).save({ topic, payload: payload as unknown as Record<string, unknown>, publishedAt: null });
    this.written.push(row.id);
  }

  /** Appends a ticket event (audit trail, R10) and announces it. */
  async ticketEvent(
    ticketId: number,
    type: string,
    actor: { type: ActorType; id?: number | null },
    data: Record<string, unknown> | null = null,
  ): Promise<TicketEvent> {
    const event = await this.manager.getRepository(TicketEvent).save({ ticketId, type, actorType: actor.type, actorId: actor.id ?? null, data });
    await this.record("ticket.event", { ticketId, eventId: event.id, type });
    return event;
  }
}
