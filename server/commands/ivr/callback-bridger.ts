import { flowUrls } from "../../../ivr-flows/urls.js";
import { Agent } from "../../../entities/Agent.js";
import { CallbackRequest } from "../../../entities/CallbackRequest.js";
import { Ticket } from "../../../entities/Ticket.js";
import { callbackBridgeTwiml, goodbyeTwiml, hangupTwiml } from "../../../ivr-flows/bridge.js";
import { callbackOutcomeRecorder } from "../callback-outcome-recorder.js";
import type { AppContext } from "../../context.js";

/** AnsweredBy values of answering machine detection that mean no person picked up (https://www.twilio.com/docs/voice/answering-machine-detection). */
export function isMachineAnswer(answeredBy: string | null): boolean {
  return answeredBy !== null && (answeredBy.startsWith("machine_") || answeredBy === "fax");
}

/**
 * TwiML of an outbound callback once it is answered (the callback job asks machine detection): a voicemail or fax
 * (AnsweredBy machine_* or fax) is hung up on and recorded as a callback attempt that did not reach the person
 * (retried, or given up after the last attempt); a person (human, or unknown: detection could not tell) hears a short
 * sentence in their language naming the ticket, then the agent is dialled.
 */
export async function callbackBridger(context: AppContext, props: { callbackId: number | null; agentId: number | null; callSid?: string | null; answeredBy?: string | null }): Promise<string> {
  const manager = context.dataSource.manager;
  const callback = props.callbackId !== null ? await manager.getRepository(CallbackRequest).findOneBy({ id: props.callbackId }) : null;
  if (callback && isMachineAnswer(props.answeredBy ?? null)) {
    await callbackOutcomeRecorder(context, { callbackId: callback.id, callSid: props.callSid ?? null, callStatus: "completed", notReached: true, reason: `answered by ${props.answeredBy}` });
    return hangupTwiml().toString();
  }
  const agent = props.agentId !== null ? await manager.getRepository(Agent).findOneBy({ id: props.agentId, active: true }) : null;
  if (!callback || !agent) return goodbyeTwiml(callback?.language ?? null).toString();
  const ticket = callback.ticketId !== null ? await manager.getRepository(Ticket).findOne({ where: { id: callback.ticketId }, select: { id: true, number: true } }) : null;
  return callbackBridgeTwiml(callback.language, ticket?.number ?? null, { id: agent.id, phoneNumber: agent.phoneNumber }, context.env.DESK_PHONE_NUMBER, flowUrls(context.baseUrl)).toString();
}
