import { Agent } from "../../../entities/Agent.js";
import { Call } from "../../../entities/Call.js";
import { leanColumns, leanHydrate, leanTable } from "../../db/lean.js";
import { presentAgentRef } from "../../presenters/agent.js";
import { presentCall } from "../../presenters/call.js";
import type { AppContext } from "../../context.js";
import { reopenOffers } from "../pop-offers.js";
import { agentRoom, defineHandler } from "../types.js";

const AGENT_REF_COLUMNS = ["id", "name"] as const;

/** A call and the agent who took it, in one plain read (every call's end and accept ask it). */
async function callWithAgent(context: AppContext, callId: number): Promise<Call | null> {
  const manager = context.dataSource.manager;
  const rows = (await manager.query(
    `SELECT ${leanColumns(manager, Call, "c")}, ${leanColumns(manager, Agent, "a", AGENT_REF_COLUMNS)}
     FROM ${leanTable(manager, Call)} c LEFT JOIN ${leanTable(manager, Agent)} a ON a.id = c.${manager.connection.driver.escape("acceptedByAgentId")}
     WHERE c.id = ?`,
    [callId],
  )) as Record<string, unknown>[];
  if (!rows[0]) return null;
  const call = leanHydrate(manager, Call, "c", rows[0])!;
  call.acceptedByAgent = leanHydrate(manager, Agent, "a", rows[0], AGENT_REF_COLUMNS);
  return call;
}

/** SPEC §4.7: pops follow the call through the IVR, close when someone accepts or the caller leaves. */
export const screenPopHandler = defineHandler({
  name: "screen-pop",
  topics: ["call.updated", "call.accepted", "call.released", "call.ended", "agent.status"],
  async handle(message, { io, context, pops }) {
    switch (message.topic) {
      case "call.updated":
        await pops.refresh(message.payload.callId);
        return;
      case "agent.status":
        // An agent became available (gets the waiting calls) or left (their pops go to others).
        await pops.refreshAll();
        return;
      case "call.accepted": {
        const { callId, agentId } = message.payload;
        const call = await callWithAgent(context, callId);
        // An accept already undone (call.released, delivered first) must not close the pop offered again.
        if (call && call.acceptedByAgentId !== agentId) return;
        await pops.close(callId, "accepted", presentAgentRef(call?.acceptedByAgent) ?? { id: agentId, name: "" });
        if (call) io.to(agentRoom(agentId)).emit("call:assigned", { call: presentCall(call), ticketId: call.ticketId });
        return;
      }
      case "call.released":
        // The accept closed the pop for good; it was undone, so the call is offered again.
        await reopenOffers(context, message.payload.callId);
        await pops.refresh(message.payload.callId);
        return;
      case "call.ended": {
        const call = await callWithAgent(context, message.payload.callId);
        if (!call) return;
        if (call.acceptedByAgentId === null) await pops.close(call.id, "ended", null);
        else io.to(agentRoom(call.acceptedByAgentId)).emit("call:ended", presentCall(call));
        return;
      }
    }
  },
});
