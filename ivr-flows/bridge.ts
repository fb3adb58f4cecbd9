import twilio from "twilio";
import type { Language } from "../entities/enums.js";
import { say, sayInLanguage, spacedDigits } from "./speak.js";
import type { VoiceResponse } from "./types.js";
import { GENERAL_QUEUE, queueName, type FlowUrls } from "./urls.js";

/** The agent a call is bridged to: their browser (Voice JS SDK identity agent-<id>) or their phone. */
export interface BridgeAgent {
  id: number;
  phoneNumber: string | null;
}

/** The Voice JS SDK identity of an agent's browser. */
export function agentIdentity(agentId: number): string {
  return `agent-${agentId}`;
}

/** How long the agent's phone or browser rings before Twilio gives up (DialCallStatus no-answer). */
export const AGENT_DIAL_TIMEOUT_SECONDS = 20;

/**
 * Dials the agent with an action: without one, Twilio goes on with the rest of the document when the dial ends,
 * which here is nothing, so a missed agent would hang up on the caller. With it Twilio posts DialCallStatus
 * (completed, busy, no-answer, failed, canceled) and plays the TwiML answered:
 * https://www.twilio.com/docs/voice/twiml/dial#action (and #timeout).
 */
function dialAgent(twiml: VoiceResponse, agent: BridgeAgent, callerId: string, action: string): void {
  const attributes = { action, method: "POST", timeout: AGENT_DIAL_TIMEOUT_SECONDS } as const;
  if (agent.phoneNumber) twiml.dial({ ...attributes, callerId }).number(agent.phoneNumber);
  else twiml.dial(attributes).client(agentIdentity(agent.id));
}

/** The caller is connected to the agent who accepted the call. */
export function connectAgentTwiml(language: Language | null, agent: BridgeAgent, deskNumber: string, urls: FlowUrls): VoiceResponse {
  const twiml = new twilio.twiml.VoiceResponse();
  sayInLanguage(twiml, language, "connectingAgent");
  dialAgent(twiml, agent, deskNumber, urls.dialAction(agent.id, language));
  return twiml;
}

/** The agent missed the dial: a short sorry and back into the queue of the caller's language (as the queue step). */
export function requeueTwiml(language: Language | null, callbackOffered: boolean, urls: FlowUrls): VoiceResponse {
  const twiml = new twilio.twiml.VoiceResponse();
  sayInLanguage(twiml, language, "agentMissed");
  twiml.enqueue({ waitUrl: urls.queueWait(language, callbackOffered), waitUrlMethod: "POST", action: urls.queueExit(language), method: "POST" }, queueName(language));
  return twiml;
}

/** A callback's agent leg was not answered: the person hears we call back soon, and the call ends. */
export function callbackMissedTwiml(language: Language | null): VoiceResponse {
  const twiml = new twilio.twiml.VoiceResponse();
  sayInLanguage(twiml, language, "queueUnavailable");
  twiml.hangup();
  return twiml;
}

/** The agent's dial ended after they talked: the call ends. */
export function hangupTwiml(): VoiceResponse {
  const twiml = new twilio.twiml.VoiceResponse();
  twiml.hangup();
  return twiml;
}

/** An outbound callback was answered: say who calls, in the person's language, and connect the agent. */
export function callbackBridgeTwiml(language: Language, ticketNumber: string | null, agent: BridgeAgent, deskNumber: string, urls: FlowUrls): VoiceResponse {
  const twiml = new twilio.twiml.VoiceResponse();
  if (ticketNumber) say(twiml, language, "callbackBridge", { number: spacedDigits(ticketNumber) });
  else say(twiml, language, "callbackBridgeNoTicket");
  dialAgent(twiml, agent, deskNumber, urls.dialAction(agent.id, language));
  return twiml;
}

/**
 * When the database or Redis fails during a step: a short apology in the caller's language (known from the
 * step URL, so no database is needed) and the general queue. Always valid TwiML. Its wait URL says "general": the
 * first one answered with the database back records the caller as waiting there, so they pop (general-queue-joiner).
 */
export function technicalFallbackTwiml(language: Language | null, urls: FlowUrls): VoiceResponse {
  const twiml = new twilio.twiml.VoiceResponse();
  sayInLanguage(twiml, language, "technicalProblem");
  twiml.enqueue({ waitUrl: urls.queueWait(language, false, true), waitUrlMethod: "POST", action: urls.queueExit(language), method: "POST" }, GENERAL_QUEUE);
  return twiml;
}

/** A bridge that cannot be made (unknown callback or agent): a polite goodbye in the person's language. */
export function goodbyeTwiml(language: Language | null): VoiceResponse {
  const twiml = new twilio.twiml.VoiceResponse();
  sayInLanguage(twiml, language, "goodbye");
  twiml.hangup();
  return twiml;
}
