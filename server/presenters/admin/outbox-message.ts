import { z } from "zod";
import type { OutboxMessage } from "../../../entities/OutboxMessage.js";
import { iso } from "../format.js";
import { timestamp } from "./common.js";

export const outboxMessagePayload = z.object({
  id: z.number().int(),
  topic: z.string(),
  payload: z.record(z.string(), z.unknown()).describe("ids only; processors load fresh state"),
  attempts: z.number().int().describe("failed deliveries"),
  lastError: z.string().nullable().describe("failures of the last attempt, per processor"),
  deliveredTo: z.array(z.string()).describe("processors that took the message"),
  deadAt: timestamp.nullable(),
  createdAt: timestamp,
});
export type OutboxMessagePayload = z.infer<typeof outboxMessagePayload>;

/** An outbox message as the dead-letter view shows it. */
export function presentOutboxMessage(message: OutboxMessage): OutboxMessagePayload {
  return {
    id: message.id,
    topic: message.topic,
    payload: message.payload,
    attempts: message.attempts,
    lastError: message.lastError,
    deliveredTo: message.deliveredTo ?? [],
    deadAt: message.deadAt ? iso(message.deadAt) : null,
    createdAt: iso(message.createdAt),
  };
}
