import type { EntityManager } from "typeorm";
import { Agent } from "../../entities/Agent.js";
import { Ticket } from "../../entities/Ticket.js";
import { TicketEvent } from "../../entities/TicketEvent.js";
import type { Language } from "../../entities/enums.js";
import type { AppContext } from "../context.js";
import type { OutboxRecorder } from "../events/outbox.js";
import { ALERT_LANGUAGE, renderMessage, type MessageKey } from "./messages.js";

type Params = Record<string, string | number>;

/** Records an in-app notice to one agent, written in the agent's UI language (published after commit). */
export async function noticeToAgent(tx: OutboxRecorder, agentId: number, notice: { kind: string; ticketId?: number; key: MessageKey; params: Params | ((language: Language) => Params) }): Promise<void> {
  const agent = await tx.manager.getRepository(Agent).findOne({ where: { id: agentId }, select: { id: true, uiLanguage: true } });
  const language: Language = agent?.uiLanguage ?? ALERT_LANGUAGE;
  const params = typeof notice.params === "function" ? notice.params(language) : notice.params;
  await tx.record("agent.notice", { agentId, kind: notice.kind, ...(notice.ticketId ? { ticketId: notice.ticketId } : {}), message: renderMessage(language, notice.key, params) });
}

/** Records an alert for the supervisors' live view (published after commit). */
export async function alertSupervisors(tx: OutboxRecorder, alert: { kind: string; ticketId?: number; key: MessageKey; params: Params | ((language: Language) => Params) }): Promise<void> {
  const params = typeof alert.params === "function" ? alert.params(ALERT_LANGUAGE) : alert.params;
  await tx.record("supervisor.alert", { kind: alert.kind, ...(alert.ticketId ? { ticketId: alert.ticketId } : {}), message: renderMessage(ALERT_LANGUAGE, alert.key, params) });
}

/**
 * True when the ticket already has an event of this type whose data contains every given field: the
 * "once" check of idempotent handlers (the event is both the audit record and the marker).
 */
export async function hasTicketEvent(manager: EntityManager, ticketId: number, type: string, match: Record<string, unknown> = {}): Promise<boolean> {
  const events = await manager.getRepository(TicketEvent).find({ where: { ticketId, type }, select: { id: true, data: true } });
  return events.some((event) => Object.entries(match).every(([key, value]) => event.data?.[key] === value));
}

/** The events of some types on tickets the condition selects, as `ticketId@type` → their data (read raw: a large desk has many). */
export async function eventsOnTickets(context: AppContext, types: string[], ticketCondition: string, parameters: Record<string, unknown>): Promise<Map<string, Record<string, unknown>[]>> {
  const rows: { ticketId: number | string; type: string; data: string | Record<string, unknown> | null }[] = await context.dataSource
    .getRepository(TicketEvent)
    .createQueryBuilder("event")
    .select("event.ticketId", "ticketId")
    .addSelect("event.type", "type")
    .addSelect("event.data", "data")
    .innerJoin(Ticket, "ticket", "ticket.id = event.ticketId")
    .where("event.type IN (:...types)", { types })
    .andWhere(ticketCondition, parameters)
    .getRawMany();
  const byKey = new Map<string, Record<string, unknown>[]>();
  for (const row of rows) {
    const key = `${Number(row.ticketId)}@${row.type}`;
    const data = typeof row.data === "string" ? (JSON.parse(row.data) as Record<string, unknown>) : (row.data ?? {});
    const list = byKey.get(key);
    if (list) list.push(data);
    else byKey.set(key, [data]);
  }
  return byKey;
}
