import { Agent } from "../../entities/Agent.js";
import { CallbackRequest } from "../../entities/CallbackRequest.js";
import { changeAgentStatusInTransaction } from "./agent-status-changer.js";
import { inTransaction, type CommandContext } from "./transaction.js";

export interface CallbackMissRecorderProps {
  /** The outbound call of the callback (the person's leg), as the agent <Dial>'s action reports it. */
  callSid: string;
  /** The agent who was dialled (from the action URL). */
  agentId: number | null;
  /** Twilio's DialCallStatus of the agent's leg (anything but completed). */
  dialCallStatus: string;
  now?: Date;
}

/**
 * The person of a callback answered but the agent's leg did not (issue 16): the callback is not done. In one
 * transaction it goes back on offer at once (pending, its place kept by queuedAt; callback.updated → callback:offer),
 * the agent who missed it is set `missed` (as for an inbound call), and the ticket says so. The person's call then ends
 * with an apology, so the status callback that follows (completed) finds the callback no longer dialing and changes
 * nothing. Answers the callback, or null when this CallSid is not a callback being dialled (or this was recorded).
 */
export async function callbackMissRecorder(context: CommandContext, props: CallbackMissRecorderProps): Promise<CallbackRequest | null> {
  const now = props.now ?? new Date();
  return inTransaction(context, async (tx) => {
    const repository = tx.manager.getRepository(CallbackRequest);
    const callback = await repository.findOneBy({ outboundCallSid: props.callSid, status: "dialing" });
    if (!callback) return null;
    const updated = await repository.update(
      { id: callback.id, status: "dialing", attempts: callback.attempts },
      { status: "pending", agentId: null, outboundCallSid: null, lastError: `agent ${props.dialCallStatus}`.slice(0, 200) },
    );
    if (!updated.affected) return null;
    if (callback.ticketId !== null) {
      await tx.ticketEvent(callback.ticketId, "callback_agent_missed", { type: "system" }, { callbackId: callback.id, attempt: callback.attempts, callSid: props.callSid, agentId: callback.agentId, dialCallStatus: props.dialCallStatus });
    }
    const agentId = callback.agentId ?? props.agentId;
    if (agentId !== null) {
      const agent = await tx.manager.getRepository(Agent).findOne({ where: { id: agentId }, select: { id: true, status: true } });
      if (agent?.status === "on_call") await changeAgentStatusInTransaction(tx, agent.id, "missed", now);
    }
    await tx.record("callback.updated", { callbackId: callback.id });
    return callback;
  });
}
