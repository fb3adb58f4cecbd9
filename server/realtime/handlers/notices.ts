import { agentRoom, defineHandler } from "../types.js";

/** In-app notices to one agent (SLA reminder, remote-session reminder, on-site decision). */
export const agentNoticesHandler = defineHandler({
  name: "agent-notices",
  topics: ["agent.notice"],
  async handle(message, { io }) {
    const { agentId, kind, ticketId, message: text } = message.payload;
    io.to(agentRoom(agentId)).emit("agent:notice", { id: message.id, kind, ticketId: ticketId ?? null, message: text, at: new Date(message.createdAt).toISOString() });
  },
});
