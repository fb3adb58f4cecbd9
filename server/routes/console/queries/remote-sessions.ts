import type { DataSource } from "typeorm";
import { RemoteSession } from "../../../../entities/RemoteSession.js";
import { Ticket } from "../../../../entities/Ticket.js";

/** Remote sessions (one by id, or a ticket's) with the person and agent, in the order they are planned. */
export function loadRemoteSessions(dataSource: DataSource, where: { id: number } | { ticketId: number }): Promise<RemoteSession[]> {
  return dataSource.getRepository(RemoteSession).find({ where, relations: { person: true, agent: true }, order: { scheduledAt: "ASC", id: "ASC" } });
}

/** True when the ticket exists. */
export function ticketExists(dataSource: DataSource, ticketId: number): Promise<boolean> {
  return dataSource.getRepository(Ticket).exists({ where: { id: ticketId } });
}
