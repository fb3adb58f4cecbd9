import type { EntityManager } from "typeorm";
import { Ticket } from "../../entities/Ticket.js";
import { notFound } from "../errors/http-error.js";

/**
 * Loads a ticket for update inside a transaction. MariaDB takes a row lock so two commands on one ticket
 * (two consents decided at once) serialise; SQLite has one writer at a time anyway and no row locks.
 */
export async function lockTicket(manager: EntityManager, ticketId: number): Promise<Ticket> {
  const ticket = await manager.getRepository(Ticket).findOne({
    where: { id: ticketId },
    ...(manager.dataSource.options.type === "mysql" ? { lock: { mode: "pessimistic_write" as const } } : {}),
  });
  if (!ticket) throw notFound("Ticket");
  return ticket;
}
