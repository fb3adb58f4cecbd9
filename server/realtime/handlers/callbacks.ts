import { In, type EntityManager } from "typeorm";
import { Agent } from "../../../entities/Agent.js";
import { availableAgents, offerTargets } from "../../domain/offer-targets.js";
import { presentAgentRef } from "../../presenters/agent.js";
import { loadCallbackPayloads } from "../../presenters/callback.js";
import type { CallbackOffer } from "../../../shared-types/socket-events.js";
import { agentRoom, defineHandler } from "../types.js";

/** Statuses in which a callback is on offer to agents. */
const ON_OFFER = ["pending", "offered"] as const;

/**
 * The callbacks on offer to this agent now, oldest first: none unless the agent is available (the list of available
 * agents says whether), and of the waiting ones those the agent is a target of (language first, R8).
 */
export async function callbackOffersFor(manager: EntityManager, agentId: number): Promise<CallbackOffer[]> {
  const available = await availableAgents(manager);
  if (!available.some((candidate) => candidate.id === agentId)) return [];
  const waiting = await loadCallbackPayloads(manager, { status: In([...ON_OFFER]) });
  return waiting.filter((offer) => offerTargets(offer.language, available).agents.some((candidate) => candidate.id === agentId));
}

/**
 * Queued callbacks as pops: a waiting callback is offered to the available agents who may take it (its
 * language first), a taken or finished one is closed on every console. An agent whose status changes is not
 * pushed anything here: the console takes its whole list (`callback:sync`) on the `agent:status` it gets.
 */
export const callbacksHandler = defineHandler({
  name: "callbacks",
  topics: ["callback.requested", "callback.updated"],
  async handle(message, { io, context }) {
    const manager = context.dataSource.manager;
    const [offer] = await loadCallbackPayloads(manager, { id: message.payload.callbackId });
    if (!offer) return;
    if ((ON_OFFER as readonly string[]).includes(offer.status)) {
      const eligible = offerTargets(offer.language, await availableAgents(manager)).agents;
      if (eligible.length > 0) io.to(eligible.map((agent) => agentRoom(agent.id))).emit("callback:offer", offer);
      return;
    }
    const taker = offer.agentId === null ? null : await manager.getRepository(Agent).findOne({ where: { id: offer.agentId }, select: { id: true, name: true } });
    io.emit("callback:closed", { callbackId: offer.id, status: offer.status, acceptedBy: presentAgentRef(taker) });
  },
});
