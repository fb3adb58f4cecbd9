import { Agent } from "../../../entities/Agent.js";
import { presentAgent } from "../../presenters/agent.js";
import { unregisterSoftphones } from "../softphone.js";
import { agentRoom, defineHandler, SUPERVISORS_ROOM } from "../types.js";

/** An agent's status reaches their own tabs and the supervisors. */
export const agentStatusHandler = defineHandler({
  name: "agent-status",
  topics: ["agent.status"],
  async handle(message, { io, context }) {
    const agent = await context.dataSource.getRepository(Agent).findOneBy({ id: message.payload.agentId });
    if (agent) io.to([agentRoom(agent.id), SUPERVISORS_ROOM]).emit("agent:status", presentAgent(agent));
    // Offline (chosen, logged out, gone): no simulated softphone of theirs rings any more.
    if (agent?.status === "offline") await unregisterSoftphones(context, agent.id);
  },
});
