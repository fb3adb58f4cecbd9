import { IsNull, type EntityManager } from "typeorm";
import { Agent } from "../../entities/Agent.js";
import { Call } from "../../entities/Call.js";
import { CallEvent } from "../../entities/CallEvent.js";
import { Ticket } from "../../entities/Ticket.js";
import type { AppContext } from "../context.js";
import { conflict, HttpError, notFound } from "../errors/http-error.js";
import { popStage } from "../domain/call-stage.js";
import { wasOffered } from "../realtime/pop-offers.js";
import { changeAgentStatusInTransaction } from "./agent-status-changer.js";
import { lockTicket } from "./locked-ticket.js";
import { inTransaction } from "./transaction.js";

export interface CallAcceptorProps {
  callId: number;
  /** The agent clicking "accept" on the pop. */
  agentId: number;
  now?: Date;
}

export interface CallAcceptance {
  call: Call;
  ticket: Ticket | null;
  /** True when the caller, already waiting in a Twilio queue, was redirected to the agent. */
  bridged: boolean;
}

/** Why an accept cannot go through: a 409 naming who took the call, or saying it ended. */
async function refusal(context: AppContext, call: Call, agentId: number) {
  if (call.acceptedByAgentId === agentId) return conflict("call_already_yours", "You already accepted this call.");
  if (call.acceptedByAgentId !== null) {
    const winner = await context.dataSource.getRepository(Agent).findOne({ where: { id: call.acceptedByAgentId }, select: { id: true, name: true } });
    return conflict("call_taken", `${winner?.name ?? "Another agent"} already took this call.`, { acceptedBy: winner ? { id: winner.id, name: winner.name } : null });
  }
  if (call.endedAt !== null) return conflict("call_ended", "The caller is no longer waiting: the call has ended.");
  return notQueued(call) ?? conflict("call_ended", "The caller is no longer waiting: the call has ended.");
}

/**
 * Only a caller waiting in a queue can be connected (issue 16): one still in the menu has nobody to talk to yet,
 * and one sent to voicemail is leaving a message. Null when the call is queued.
 */
function notQueued(call: Call) {
  if (call.outcome === "queued") return null;
  if (popStage(call) === "voicemail") return conflict("call_in_voicemail", "The caller is leaving a message: this call can no longer be accepted.");
  if (call.outcome === "in_ivr") return conflict("call_not_queued", "The caller is still in the menu: you can accept the call once they wait in the queue.");
  return conflict("call_ended", "The caller is no longer waiting: the call has ended.");
}

/**
 * SPEC §4.7: the first agent to accept a waiting call gets it. A conditional UPDATE decides, so exactly one
 * accept wins even across server instances; the winner goes on call and becomes the ticket's assignee, and
 * the others' pops close (call.accepted). After commit the caller waiting in a Twilio queue is redirected
 * to the winner (the IVR's connect-agent step dials them); when Twilio refuses that, the accept is undone
 * (undoAccept) and the agent gets 502 dequeue_failed.
 */
export async function callAcceptor(context: AppContext, props: CallAcceptorProps): Promise<CallAcceptance> {
  const now = props.now ?? new Date();
  const calls = context.dataSource.getRepository(Call);
  const call = await calls.findOneBy({ id: props.callId });
  if (!call) throw notFound("Call");
  if (call.acceptedByAgentId !== null || call.endedAt !== null) throw await refusal(context, call, props.agentId);

  const agent = await context.dataSource.getRepository(Agent).findOneBy({ id: props.agentId, active: true });
  if (!agent) throw notFound("Agent");
  if (agent.status !== "available") {
    throw conflict("agent_not_available", `Your status is ${agent.status.replace("_", " ")}: set yourself available to take calls.`);
  }
  if (call.language && !(agent.languages ?? []).includes(call.language) && !(await wasOffered(context, call.id, agent.id))) {
    throw new HttpError(403, "language_not_spoken", `This caller speaks ${call.language.toUpperCase()}, which is not one of your languages; an agent who speaks it takes the call.`, { language: call.language });
  }
  const waiting = notQueued(call);
  if (waiting) throw waiting;

  const result = await inTransaction(context, async (tx) => {
    const update = await tx.manager
      .createQueryBuilder()
      .update(Call)
      .set({ acceptedByAgentId: agent.id, answeredAt: () => "COALESCE(answeredAt, :now)" })
      .where({ id: call.id, acceptedByAgentId: IsNull(), endedAt: IsNull(), outcome: "queued" })
      .setParameter("now", now)
      .execute();
    if ((update.affected ?? 0) !== 1) return null;

    const accepted = await tx.manager.getRepository(Call).findOneOrFail({ where: { id: call.id }, relations: { acceptedByAgent: true } });
    await tx.manager.getRepository(CallEvent).insert({ callId: call.id, type: "accepted", dedupeKey: "accepted", data: { agentId: agent.id, at: now.toISOString() } });
    await changeAgentStatusInTransaction(tx, agent.id, "on_call", now);

    let ticket: Ticket | null = null;
    let ticketBefore: Pick<Ticket, "id" | "assigneeId" | "firstRespondedAt" | "status"> | null = null;
    if (accepted.ticketId !== null) {
      ticket = await lockTicket(tx.manager, accepted.ticketId);
      ticketBefore = { id: ticket.id, assigneeId: ticket.assigneeId, firstRespondedAt: ticket.firstRespondedAt, status: ticket.status };
      const changes: Partial<Pick<Ticket, "assigneeId" | "firstRespondedAt" | "status">> = { assigneeId: agent.id };
      if (!ticket.firstRespondedAt) changes.firstRespondedAt = now;
      if (ticket.status === "new") changes.status = "open";
      await tx.manager.getRepository(Ticket).update({ id: ticket.id }, changes);
      Object.assign(ticket, changes);
      await tx.ticketEvent(ticket.id, "assigned", { type: "agent", id: agent.id }, {
        agentId: agent.id,
        agentName: agent.name,
        via: "call_accepted",
        callId: call.id,
        firstResponse: Boolean(changes.firstRespondedAt),
      });
    }
    await tx.record("call.accepted", { callId: call.id, agentId: agent.id });
    return { call: accepted, ticket, ticketBefore };
  });
  if (!result) throw await refusal(context, (await calls.findOneBy({ id: call.id }))!, agent.id);

  const bridged = await bridge(context, result.call, agent.id);
  if (bridged === "failed") {
    await undoAccept(context, { call, agentId: agent.id, ticketBefore: result.ticketBefore, now });
    throw new HttpError(502, "dequeue_failed", "The caller could not be put through to you (the telephone service refused); the call is offered again.");
  }
  return { call: result.call, ticket: result.ticket, bridged: bridged === "bridged" };
}

/**
 * Redirects a caller who waits in a Twilio queue to the agent. "failed" when Twilio refused (e.g. its 404 for a
 * call no longer in that queue): the accept must then be undone, or the caller waits for an agent who never comes.
 */
async function bridge(context: AppContext, call: Call, agentId: number): Promise<"bridged" | "not_queued" | "failed"> {
  if (!call.queueName || call.outcome !== "queued") return "not_queued";
  try {
    await context.twilio.redirectQueueMember({
      queueName: call.queueName,
      callSid: call.callSid,
      url: `${context.baseUrl}/twilio/connect-agent?agentId=${agentId}`,
    });
    return "bridged";
  } catch (error) {
    context.logger.error({ err: error, callId: call.id, agentId }, "accepted call could not be redirected to the agent; the accept is undone");
    return "failed";
  }
}

/**
 * The "accepted" dedupe key names the accept that stands (one per call): an accept undone keeps its event under a
 * key of its own, so the call can be accepted again. Answers the retired event's id (null when there was none).
 */
export async function retireAcceptedEvent(manager: EntityManager, callId: number): Promise<number | null> {
  const events = manager.getRepository(CallEvent);
  const accepted = await events.findOne({ where: { callId, dedupeKey: "accepted" }, select: { id: true } });
  if (!accepted) return null;
  await events.update({ id: accepted.id }, { dedupeKey: `accepted:undone:${accepted.id}` });
  return accepted.id;
}

/**
 * The compensating command of an accept whose caller could not be dequeued, in ONE transaction: the call is no
 * longer accepted (answeredAt as before), the agent is available again, the ticket's assignment (and what the accept
 * stamped on it) is put back with a ticket event saying why, and call.released offers the pop again. Only this
 * agent's accept is undone: the conditional UPDATE leaves a call someone else holds now untouched.
 */
async function undoAccept(context: AppContext, props: { call: Call; agentId: number; ticketBefore: Pick<Ticket, "id" | "assigneeId" | "firstRespondedAt" | "status"> | null; now: Date }): Promise<void> {
  const { call, agentId, ticketBefore, now } = props;
  await inTransaction(context, async (tx) => {
    const update = await tx.manager
      .createQueryBuilder()
      .update(Call)
      .set({ acceptedByAgentId: null, answeredAt: call.answeredAt, missedAt: now })
      .where({ id: call.id, acceptedByAgentId: agentId })
      .execute();
    if ((update.affected ?? 0) !== 1) return;
    const acceptedEventId = await retireAcceptedEvent(tx.manager, call.id);
    await tx.manager.getRepository(CallEvent).insert({ callId: call.id, type: "accept_undone", dedupeKey: `accept_undone:${acceptedEventId ?? now.getTime()}`, data: { agentId, reason: "dequeue_failed", at: now.toISOString() } });
    const agent = await tx.manager.getRepository(Agent).findOneBy({ id: agentId });
    if (agent?.status === "on_call") await changeAgentStatusInTransaction(tx, agentId, "available", now);
    if (ticketBefore) {
      const ticket = await lockTicket(tx.manager, ticketBefore.id);
      // Put back only what this accept set: a change made since by someone else stands.
      const changes: Partial<Pick<Ticket, "assigneeId" | "firstRespondedAt" | "status">> = {};
      if (ticket.assigneeId === agentId) changes.assigneeId = ticketBefore.assigneeId;
      if (ticketBefore.firstRespondedAt === null && ticket.firstRespondedAt !== null) changes.firstRespondedAt = null;
      if (ticketBefore.status === "new" && ticket.status === "open") changes.status = "new";
      if (Object.keys(changes).length > 0) await tx.manager.getRepository(Ticket).update({ id: ticket.id }, changes);
      await tx.ticketEvent(ticket.id, "unassigned", { type: "system" }, { agentId, via: "call_accept_undone", reason: "dequeue_failed", callId: call.id, assigneeId: changes.assigneeId ?? ticket.assigneeId });
    }
    await tx.record("call.released", { callId: call.id, agentId });
  });
}
