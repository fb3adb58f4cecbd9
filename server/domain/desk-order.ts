import { IsNull, type EntityManager } from "typeorm";
import { Call } from "../../entities/Call.js";

/** What decides a waiting caller's place in the desk's order. */
export type DeskOrderKey = Pick<Call, "id" | "missedAt" | "queuedAt" | "createdAt">;

const time = (value: Date | string | null) => (value === null ? null : new Date(value).getTime());

/**
 * The desk's order of waiting callers (issue 16, SPEC §4.7), not Twilio's: an agent dequeues a caller by CallSid
 * (a queue member redirect), so Twilio's FIFO never decides who is next and its QueuePosition would disagree once a
 * missed caller is enqueued again at the back of its queue. Callers an agent failed to take go back to the front;
 * within each group callers follow by when they first joined the queue (then when the call started), so a missed
 * caller keeps their original place among the missed.
 */
export function compareDeskOrder(a: DeskOrderKey, b: DeskOrderKey): number {
  const [missedA, missedB] = [a.missedAt !== null, b.missedAt !== null];
  if (missedA !== missedB) return missedA ? -1 : 1;
  const since = (call: DeskOrderKey) => time(call.queuedAt) ?? time(call.createdAt)!;
  return since(a) - since(b) || a.id - b.id;
}

/** The callers sorted in the desk's order (a copy). */
export function inDeskOrder<C extends DeskOrderKey>(calls: readonly C[]): C[] {
  return [...calls].sort(compareDeskOrder);
}

/**
 * A waiting caller's place (1 = next) among the callers waiting in the same Twilio queue, in the desk's order; null
 * when the desk does not know the call as waiting there (unknown, accepted, over).
 */
export async function deskQueuePosition(manager: EntityManager, callSid: string): Promise<number | null> {
  const calls = manager.getRepository(Call);
  const call = await calls.findOne({ where: { callSid }, select: { id: true, queueName: true, outcome: true, acceptedByAgentId: true, endedAt: true } });
  if (!call || call.queueName === null || call.outcome !== "queued" || call.acceptedByAgentId !== null || call.endedAt !== null) return null;
  const waiting = await calls.find({
    where: { queueName: call.queueName, outcome: "queued", acceptedByAgentId: IsNull(), endedAt: IsNull(), direction: "inbound" },
    select: { id: true, missedAt: true, queuedAt: true, createdAt: true },
  });
  const place = inDeskOrder(waiting).findIndex((other) => other.id === call.id);
  return place === -1 ? null : place + 1;
}
