import { IsNull, Not } from "typeorm";
import { OutboxMessage } from "../../../entities/OutboxMessage.js";
import { conflict } from "../../errors/http-error.js";
import type { CommandContext } from "../transaction.js";
import { writeAudit } from "./audit.js";
import { fetchPage, whereContains, type ListQuery } from "./listing.js";
import { findOr404, type Actor } from "./records.js";

/** Dead-lettered outbox messages (the relay gave up on them), newest first; q searches topic and error. */
export async function listDeadLetters(context: CommandContext, query: ListQuery) {
  const qb = context.dataSource.getRepository(OutboxMessage).createQueryBuilder("message").where({ deadAt: Not(IsNull()) }).orderBy("message.id", "DESC");
  whereContains(qb, ["message.topic", "message.lastError"], query.q);
  return fetchPage(qb, query);
}

/**
 * Gives a dead-lettered message a new round of attempts (the cause is fixed): the relay claims it at its next poll
 * and delivers it to the processors that did not take it yet. 409 when the message is not dead.
 */
export async function deadLetterRetrier(context: CommandContext, props: Actor & { id: number }): Promise<OutboxMessage> {
  return context.dataSource.transaction(async (manager) => {
    const message = await findOr404(manager, OutboxMessage, props.id, "Outbox message");
    if (!message.deadAt) throw conflict("not_dead_lettered", `Outbox message ${props.id} is not dead-lettered.`);
    const reset = { deadAt: null, attempts: 0, nextAttemptAt: null, leasedUntil: null, leaseOwner: null };
    await manager.getRepository(OutboxMessage).update({ id: message.id }, reset);
    await writeAudit(manager, { actorAgentId: props.actorId, entityType: "outbox_message", entityId: message.id, action: "retry", changes: { attempts: message.attempts, lastError: message.lastError } });
    return Object.assign(message, reset);
  });
}
