import twilio from "twilio";
import type { Language } from "../entities/enums.js";
import { say, sayInLanguage, spacedDigits } from "./speak.js";
import type { VoiceResponse } from "./types.js";
import { GENERAL_QUEUE, type FlowUrls } from "./urls.js";

/** The agent a call is bridged to: their browser (Voice JS SDK identity agent-<id>) or their phone. */
export interface BridgeAgent {
  id: number;
  phoneNumber: string | null;
}

/** The Voice JS SDK identity of an agent's browser. */
export function agentIdentity(agentId: number): string {
  return `agent-${agentId}`;
}

function dialAgent(twiml: VoiceResponse, agent: BridgeAgent, callerId: string): void {
  if (agent.phoneNumber) twiml.dial({ callerId }).number(agent.phoneNumber);
  else twiml.dial({}).client(agentIdentity(agent.id));
}

/** The caller is connected to the agent who accepted the call. */
export function connectAgentTwiml(language: Language | null, agent: BridgeAgent, deskNumber: string): VoiceResponse {
  const twiml = new twilio.twiml.VoiceResponse();
  sayInLanguage(twiml, language, "connectingAgent");
  dialAgent(twiml, agent, deskNumber);
  return twiml;
}

/** An outbound callback was answered: say who calls, in the person's language, and connect the agent. */
export function callbackBridgeTwiml(language: Language, ticketNumber: string | null, agent: BridgeAgent, deskNumber: string): VoiceResponse {
  const twiml = new twilio.twiml.VoiceResponse();
  if (ticketNumber) say(twiml, language, "callbackBridge", { number: spacedDigits(ticketNumber) });
  else say(twiml, language, "callbackBridgeNoTicket");
  dialAgent(twiml, agent, deskNumber);
  return twiml;
}

/**
 * When the database or Redis fails during a step: a short apology in the caller's language (known from the
 * step URL, so no database is needed) and the general queue. Always valid TwiML.
 */
export function technicalFallbackTwiml(language: Language | null, urls: FlowUrls): VoiceResponse {
  const twiml = new twilio.twiml.VoiceResponse();
  sayInLanguage(twiml, language, "technicalProblem");
  twiml.enqueue({ waitUrl: urls.queueWait(language, false), waitUrlMethod: "POST", action: urls.queueExit(language), method: "POST" }, GENERAL_QUEUE);
  return twiml;
}

/** A bridge that cannot be made (unknown callback or agent): a polite goodbye in the person's language. */
export function goodbyeTwiml(language: Language | null): VoiceResponse {
  const twiml = new twilio.twiml.VoiceResponse();
  sayInLanguage(twiml, language, "goodbye");
  twiml.hangup();
  return twiml;
}
