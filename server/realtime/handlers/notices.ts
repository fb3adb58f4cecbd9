import { presentNotice } from "../../presenters/notice.js";
import { agentRoom, defineHandler } from "../types.js";

/** In-app notices to one agent (SLA reminder, remote-session reminder, on-site decision). */
export const agentNoticesHandler = defineHandler({
  name: "agent-notices",
  topics: ["agent.notice"],
  async handle(message, { io }) {
    io.to(agentRoom(message.payload.agentId)).emit("agent:notice", presentNotice(message));
  },
});
