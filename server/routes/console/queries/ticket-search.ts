import { z } from "zod";
import type { DataSource } from "typeorm";
import { CONTACT_TYPES, FINISHED_TICKET_STATUSES, TICKET_STATUSES } from "../../../../entities/enums.js";
import { Ticket } from "../../../../entities/Ticket.js";
import type { TicketSummary } from "../../../../shared-types/console-payloads.js";
import { presentTicketSummary } from "../../../presenters/ticket.js";

/** Filters of the ticket list; all optional. */
export const ticketSearchSchema = z
  .object({
    /** Ticket number, customer name or subject (part of it). */
    q: z.string().trim().max(100).optional(),
    status: z.enum([...TICKET_STATUSES, "active"]).optional(),
    type: z.enum(CONTACT_TYPES).optional(),
    customerId: z.coerce.number().int().positive().optional(),
    /** "me": only tickets assigned to the caller of the API. */
    assignee: z.enum(["me", "none"]).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict();

export type TicketSearch = z.infer<typeof ticketSearchSchema>;

/** A LIKE pattern matching `text` anywhere; "!" escapes wildcards (the same in MariaDB and SQLite, unlike a backslash). */
export const likePattern = (text: string) => `%${text.toLowerCase().replace(/[!%_]/g, (c) => `!${c}`)}%`;

/** Lists tickets matching the filters, newest first, with the total count. */
export async function searchTickets(dataSource: DataSource, search: TicketSearch, agentId: number): Promise<{ items: TicketSummary[]; total: number }> {
  const query = dataSource
    .getRepository(Ticket)
    .createQueryBuilder("ticket")
    .leftJoinAndSelect("ticket.customer", "customer")
    .leftJoinAndSelect("ticket.product", "product")
    .leftJoinAndSelect("ticket.assignee", "assignee");
  if (search.q) {
    query.andWhere("(LOWER(ticket.number) LIKE :q ESCAPE '!' OR LOWER(customer.name) LIKE :q ESCAPE '!' OR LOWER(ticket.subject) LIKE :q ESCAPE '!')", { q: likePattern(search.q) });
  }
  if (search.status === "active") query.andWhere("ticket.status NOT IN (:...done)", { done: FINISHED_TICKET_STATUSES });
  else if (search.status) query.andWhere("ticket.status = :status", { status: search.status });
  if (search.type) query.andWhere("ticket.contactType = :type", { type: search.type });
  if (search.customerId) query.andWhere("ticket.customerId = :customerId", { customerId: search.customerId });
  if (search.assignee === "me") query.andWhere("ticket.assigneeId = :me", { me: agentId });
  if (search.assignee === "none") query.andWhere("ticket.assigneeId IS NULL");
  const [tickets, total] = await query
    .orderBy("ticket.createdAt", "DESC")
    .addOrderBy("ticket.id", "DESC")
    .skip(search.offset)
    .take(search.limit)
    .getManyAndCount();
  const now = new Date();
  return { items: tickets.map((ticket) => presentTicketSummary(ticket, now)), total };
}
