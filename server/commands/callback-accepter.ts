import { In } from "typeorm";
import { Agent } from "../../entities/Agent.js";
import { CallbackRequest } from "../../entities/CallbackRequest.js";
import { conflict, notFound } from "../errors/http-error.js";
import { changeAgentStatusInTransaction } from "./agent-status-changer.js";
import { inTransaction, type CommandContext } from "./transaction.js";

export interface CallbackAccepterProps {
  callbackId: number;
  /** The agent who takes the callback; the outbound call is bridged to them. */
  agentId: number;
}

/**
 * An available agent takes a waiting callback: the first accept wins atomically (a conditional update), the
 * callback goes to `dialing` with one more attempt, the agent goes on call, and `callback.updated` makes the
 * jobs place the outbound call and closes the other agents' offers. A taken or finished callback is a 409.
 */
export async function callbackAccepter(context: CommandContext, props: CallbackAccepterProps): Promise<CallbackRequest> {
  return inTransaction(context, async (tx) => {
    const agent = await tx.manager.getRepository(Agent).findOneBy({ id: props.agentId, active: true });
    if (!agent) throw notFound("Agent");
    if (agent.status !== "available") {
      throw conflict("agent_not_available", `Your status is ${agent.status.replace("_", " ")}: set yourself available to take callbacks.`);
    }
    const repository = tx.manager.getRepository(CallbackRequest);
    const claimed = await repository.update(
      { id: props.callbackId, status: In(["pending", "offered"]) },
      { status: "dialing", agentId: props.agentId, attempts: () => "attempts + 1", outboundCallSid: null, lastError: null },
    );
    const callback = await repository.findOneBy({ id: props.callbackId });
    if (!callback) throw notFound("Callback request");
    if (!claimed.affected) {
      if (callback.status === "dialing") {
        const taker = callback.agentId === null ? null : await tx.manager.getRepository(Agent).findOne({ where: { id: callback.agentId }, select: { id: true, name: true } });
        throw conflict("callback_taken", `This callback was already taken${taker ? ` by ${taker.name}` : ""}.`, { agentId: callback.agentId });
      }
      throw conflict("callback_closed", `This callback is ${callback.status} and can no longer be taken.`, { status: callback.status });
    }
    if (callback.ticketId !== null) {
      await tx.ticketEvent(callback.ticketId, "callback_accepted", { type: "agent", id: props.agentId }, { callbackId: callback.id, attempt: callback.attempts });
    }
    await changeAgentStatusInTransaction(tx, agent.id, "on_call");
    await tx.record("callback.updated", { callbackId: callback.id });
    return callback;
  });
}
