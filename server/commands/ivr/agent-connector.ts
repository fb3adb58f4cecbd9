import { Agent } from "../../../entities/Agent.js";
import type { Language } from "../../../entities/enums.js";
import { connectAgentTwiml, technicalFallbackTwiml } from "../../../ivr-flows/bridge.js";
import { flowUrls } from "../../../ivr-flows/urls.js";
import type { AppContext } from "../../context.js";
import { runCallWebhook } from "./call-webhook.js";
import { markAnswered } from "./call-closing.js";

/**
 * Where an accepted caller is redirected (Twilio Queue Members API, or the IVR when the agent accepted before
 * the queue): dials the agent's browser client or phone, and records the call as answered with its wait.
 */
export async function agentConnector(context: AppContext, props: { callSid: string; agentId: number | null; language: Language | null }): Promise<string> {
  const now = context.now?.() ?? new Date();
  const urls = flowUrls(context.baseUrl);
  const agent = props.agentId !== null ? await context.dataSource.getRepository(Agent).findOneBy({ id: props.agentId, active: true }) : null;
  if (!agent) return technicalFallbackTwiml(props.language, urls).toString();
  const bridge = { id: agent.id, phoneNumber: agent.phoneNumber };
  return runCallWebhook(context, {
    callSid: props.callSid,
    dedupeKey: `connect:${agent.id}`,
    unknownCall: () => connectAgentTwiml(props.language, bridge, context.env.DESK_PHONE_NUMBER, urls).toString(),
    handle: async (_tx, call) => {
      if (call.acceptedByAgentId === null) call.acceptedByAgentId = agent.id;
      markAnswered(call, now, null);
      call.ivrStep = "connected";
      const twiml = connectAgentTwiml(call.language ?? props.language, bridge, context.env.DESK_PHONE_NUMBER, urls).toString();
      return { twiml, eventType: "connected_to_agent", eventData: { agentId: agent.id, via: agent.phoneNumber ? "phone" : "client" }, progressed: true };
    },
  });
}
