import { Agent } from "../../entities/Agent.js";
import { CallbackRequest } from "../../entities/CallbackRequest.js";
import type { CallbackStatus } from "../../entities/enums.js";
import { Ticket } from "../../entities/Ticket.js";
import { alertSupervisors } from "../jobs/notify.js";
import { changeAgentStatusInTransaction } from "./agent-status-changer.js";
import { inTransaction, type CommandContext } from "./transaction.js";
import { isFinalCallStatus } from "../twilio/client.js";

/** Calls placed for one callback before it is given up (recorded as failed, supervisors alerted). */
export const MAX_CALLBACK_ATTEMPTS = 3;

/** Wait before a callback whose call was not answered is offered again. */
export const CALLBACK_RETRY_DELAY_MS = 10 * 60_000;

export interface CallbackOutcomeRecorderProps {
  /** The callback; or leave it out (or null) and give the outbound CallSid. */
  callbackId?: number | null;
  /** The outbound CallSid Twilio reports on (must match the callback's when both are given). */
  callSid?: string | null;
  /** Twilio CallStatus: completed, busy, no-answer, failed, canceled (others are ignored). */
  callStatus: string;
  /** Why, when the call could not even be placed (Twilio API error), or how the person was not reached. */
  reason?: string;
  /**
   * The call was answered but the person was not reached: an answering machine or fax picked up (AnsweredBy). Not a
   * done callback: retried or given up like an unanswered call.
   */
  notReached?: boolean;
}

/**
 * Records how a callback's outbound call ended. Answered (`completed`) by the person and bridged to the agent: the
 * callback is done. Not reached (busy, no answer, failed; or `notReached`: a machine answered):
 * the attempt is recorded and the callback waits CALLBACK_RETRY_DELAY_MS before it is offered again, or
 * after MAX_CALLBACK_ATTEMPTS it fails and supervisors are alerted. Only a `dialing` callback changes, so
 * a repeated status callback records nothing twice. Twilio's status callback for the outbound leg calls this.
 */
export async function callbackOutcomeRecorder(context: CommandContext, props: CallbackOutcomeRecorderProps): Promise<{ callbackId: number | null; status: CallbackStatus | null; changed: boolean }> {
  return inTransaction(context, async (tx) => {
    const repository = tx.manager.getRepository(CallbackRequest);
    const callback = typeof props.callbackId === "number"
      ? await repository.findOneBy({ id: props.callbackId })
      : props.callSid ? await repository.findOneBy({ outboundCallSid: props.callSid }) : null;
    if (!callback) return { callbackId: null, status: null, changed: false };
    const unchanged = { callbackId: callback.id, status: callback.status, changed: false };
    if (callback.status !== "dialing") return unchanged;
    if (props.callSid && callback.outboundCallSid && props.callSid !== callback.outboundCallSid) return unchanged;

    let status: CallbackStatus;
    if (props.notReached) status = callback.attempts >= MAX_CALLBACK_ATTEMPTS ? "failed" : "pending";
    else if (props.callStatus === "completed") status = "completed";
    // Any other final status: the call reached nobody.
    else if (isFinalCallStatus(props.callStatus)) status = callback.attempts >= MAX_CALLBACK_ATTEMPTS ? "failed" : "pending";
    else return unchanged;

    const lastError = status === "completed" ? null : (props.reason ?? props.callStatus).slice(0, 200);
    const updated = await repository.update(
      { id: callback.id, status: "dialing", attempts: callback.attempts },
      { status, lastError, ...(status === "pending" ? { agentId: null, outboundCallSid: null } : {}) },
    );
    if (!updated.affected) return unchanged;

    if (callback.ticketId !== null) {
      const type = status === "completed" ? "callback_completed" : status === "failed" ? "callback_failed" : "callback_attempt_failed";
      await tx.ticketEvent(callback.ticketId, type, { type: "system" }, { callbackId: callback.id, attempt: callback.attempts, callSid: callback.outboundCallSid, outcome: props.callStatus, ...(props.reason ? { reason: props.reason } : {}) });
    }
    if (status === "failed") {
      const ticket = callback.ticketId === null ? null : await tx.manager.getRepository(Ticket).findOne({ where: { id: callback.ticketId }, select: { id: true, number: true } });
      await alertSupervisors(tx, { kind: "callback_failed", ...(ticket ? { ticketId: ticket.id } : {}), key: "alertCallbackFailed", params: { ticket: ticket?.number ?? "-", phone: callback.phoneNumber, attempts: callback.attempts } });
    }
    // The agent was put on call by the accept: wrap-up after a conversation, available again otherwise.
    if (callback.agentId !== null) {
      const agent = await tx.manager.getRepository(Agent).findOne({ where: { id: callback.agentId }, select: { id: true, status: true } });
      if (agent?.status === "on_call") await changeAgentStatusInTransaction(tx, agent.id, status === "completed" ? "wrap_up" : "available");
    }
    await tx.record("callback.updated", { callbackId: callback.id });
    return { callbackId: callback.id, status, changed: true };
  });
}
