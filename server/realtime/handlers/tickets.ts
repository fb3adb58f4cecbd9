import { defineHandler } from "../types.js";

/**
 * Every ticket event tells the consoles which ticket changed (ids only, no content): whoever shows that
 * ticket reloads it through the API, which checks the role.
 */
export const ticketsHandler = defineHandler({
  name: "tickets",
  topics: ["ticket.event"],
  async handle(message, { io }) {
    const { ticketId, type, eventId } = message.payload;
    io.emit("ticket:changed", { ticketId, type, eventId });
  },
});
