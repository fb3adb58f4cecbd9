import { flowUrls } from "../../../ivr-flows/urls.js";
import { Agent } from "../../../entities/Agent.js";
import { CallbackRequest } from "../../../entities/CallbackRequest.js";
import { Ticket } from "../../../entities/Ticket.js";
import { callbackBridgeTwiml, goodbyeTwiml } from "../../../ivr-flows/bridge.js";
import type { AppContext } from "../../context.js";

/**
 * TwiML of an outbound callback once the person answers (the jobs issue places the call): a short sentence in
 * their language naming the ticket, then the agent. Reads only; the callback job records attempts and outcome.
 */
export async function callbackBridger(context: AppContext, props: { callbackId: number | null; agentId: number | null }): Promise<string> {
  const manager = context.dataSource.manager;
  const callback = props.callbackId !== null ? await manager.getRepository(CallbackRequest).findOneBy({ id: props.callbackId }) : null;
  const agent = props.agentId !== null ? await manager.getRepository(Agent).findOneBy({ id: props.agentId, active: true }) : null;
  if (!callback || !agent) return goodbyeTwiml(callback?.language ?? null).toString();
  const ticket = callback.ticketId !== null ? await manager.getRepository(Ticket).findOne({ where: { id: callback.ticketId }, select: { id: true, number: true } }) : null;
  return callbackBridgeTwiml(callback.language, ticket?.number ?? null, { id: agent.id, phoneNumber: agent.phoneNumber }, context.env.DESK_PHONE_NUMBER, flowUrls(context.baseUrl)).toString();
}
