import { Ticket } from "../../../entities/Ticket.js";
import { agentRoom, defineHandler, ticketRoom } from "../types.js";

/**
 * Every ticket event tells the consoles concerned which ticket changed (ids only, no content): its assignee's
 * and those watching it (showing it). They reload it through the API, which checks the role. Not broadcast to
 * every socket: with hundreds of consoles that costs a write to each for every event.
 */
export const ticketsHandler = defineHandler({
  name: "tickets",
  topics: ["ticket.event"],
  async handle(message, { io, context }) {
    const { ticketId, type, eventId } = message.payload;
    // A ticket is created without an assignee (ticketCreator), so its first event needs no lookup.
    const row = type === "created" ? null : await context.dataSource
      .getRepository(Ticket)
      .createQueryBuilder("ticket")
      .select("ticket.assigneeId", "assigneeId")
      .where("ticket.id = :ticketId", { ticketId })
      .getRawOne<{ assigneeId: number | null }>();
    const rooms = [ticketRoom(ticketId), ...(row?.assigneeId ? [agentRoom(row.assigneeId)] : [])];
    io.to(rooms).emit("ticket:changed", { ticketId, type, eventId });
  },
});
