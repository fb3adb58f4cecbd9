import { Agent } from "../../../entities/Agent.js";
import { CallEvent } from "../../../entities/CallEvent.js";
import type { Language } from "../../../entities/enums.js";
import { callbackMissedTwiml, hangupTwiml, requeueTwiml } from "../../../ivr-flows/bridge.js";
import { flowUrls, queueName } from "../../../ivr-flows/urls.js";
import type { AppContext } from "../../context.js";
import type { OutboxRecorder } from "../../events/outbox.js";
import { retireAcceptedEvent } from "../call-acceptor.js";
import { changeAgentStatusInTransaction } from "../agent-status-changer.js";
import { runCallWebhook } from "./call-webhook.js";

export interface DialActionProps {
  callSid: string;
  /** The agent who was dialled (from the action URL). */
  agentId: number | null;
  /** Twilio's DialCallStatus: completed, busy, no-answer, failed or canceled. */
  dialCallStatus: string;
  /** The agent leg's CallSid, when Twilio sends it (a retry of the same delivery has the same one). */
  dialCallSid: string | null;
  language: Language | null;
}

/**
 * The agent who missed a dial is set away (there is no "missed" agent status; the call event agent_missed says
 * why), so the next offers go to colleagues who are there. Only an agent still on call is moved: one who chose
 * another status meanwhile keeps it.
 */
async function markAgentMissed(tx: OutboxRecorder, agentId: number, now: Date): Promise<void> {
  const agent = await tx.manager.getRepository(Agent).findOneBy({ id: agentId, active: true });
  if (agent?.status === "on_call") await changeAgentStatusInTransaction(tx, agentId, "away", now);
}

/**
 * <Dial action> of the agent's leg (https://www.twilio.com/docs/voice/twiml/dial#action): DialCallStatus completed
 * means they talked, so the call ends (hang up). Otherwise (busy, no-answer, failed, canceled) the agent missed it:
 * the caller hears a short sorry and goes back into the queue of their language, the call is no longer accepted,
 * the agent is set away, and call.released offers the pop again. One transaction (runCallWebhook).
 */
export async function dialActionRecorder(context: AppContext, props: DialActionProps): Promise<string> {
  const now = context.now?.() ?? new Date();
  const urls = flowUrls(context.baseUrl);
  const completed = props.dialCallStatus === "completed";
  const agentId = props.agentId;
  return runCallWebhook(context, {
    callSid: props.callSid,
    dedupeKey: `dial-action:${agentId ?? "none"}:${props.dialCallSid ?? props.dialCallStatus}`,
    // The outbound leg of a callback has no call row: a queue it joined would be served by nobody (no call to pop),
    // so a missed agent means an apology that promises the call back, and a hang-up.
    unknownCall: () => (completed ? hangupTwiml() : callbackMissedTwiml(props.language)).toString(),
    handle: async (tx, call) => {
      const language = call.language ?? props.language;
      if (completed || call.endedAt !== null) {
        return { twiml: hangupTwiml().toString(), eventType: "agent_dial_ended", eventData: { agentId, dialCallStatus: props.dialCallStatus } };
      }
      if (agentId !== null) await markAgentMissed(tx, agentId, now);
      const released = agentId !== null && call.acceptedByAgentId === agentId;
      if (released) {
        // Back to waiting as before the accept: the wait keeps running from the first queuedAt.
        call.acceptedByAgentId = null;
        call.answeredAt = null;
        call.waitSeconds = null;
        call.outcome = "queued";
        call.queueName = queueName(language);
        call.queuedAt ??= now;
        call.ivrStep = "queue";
        await retireAcceptedEvent(tx.manager, call.id);
        // Likewise the connect-agent delivery: a later accept by the same agent must dial them anew, not replay it.
        const events = tx.manager.getRepository(CallEvent);
        const connect = await events.findOne({ where: { callId: call.id, dedupeKey: `connect:${agentId}` }, select: { id: true } });
        if (connect) await events.update({ id: connect.id }, { dedupeKey: `connect:${agentId}:missed:${connect.id}` });
        await tx.record("call.released", { callId: call.id, agentId });
      }
      const callbackOffered = (call.ivrState as { callbackNumber?: string | null } | null)?.callbackNumber != null;
      return {
        twiml: requeueTwiml(language, callbackOffered, urls).toString(),
        eventType: "agent_missed",
        eventData: { agentId, dialCallStatus: props.dialCallStatus, released },
      };
    },
  });
}

