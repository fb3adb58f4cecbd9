import type { OutboxProcessor } from "../events/publisher.js";
import type { OutboxEnvelope, Topic } from "../events/topics.js";
import type { EnvelopeOf, Realtime, RealtimeHandler } from "./types.js";

/**
 * The realtime outbox processor: the only place socket events come from. Dispatches each committed message
 * to the handlers of its topic; a failing handler makes the publisher retry the message later.
 */
export function realtimeProcessor(realtime: Realtime, handlers: readonly RealtimeHandler[]): OutboxProcessor {
  const byTopic = new Map<Topic, RealtimeHandler[]>();
  for (const handler of handlers) {
    for (const topic of handler.topics) byTopic.set(topic, [...(byTopic.get(topic) ?? []), handler]);
  }
  return {
    name: "realtime",
    topics: [...byTopic.keys()],
    async handle(message: OutboxEnvelope) {
      const failures: string[] = [];
      for (const handler of byTopic.get(message.topic) ?? []) {
        try {
          await handler.handle(message as EnvelopeOf<Topic>, realtime);
        } catch (error) {
          realtime.context.logger.warn({ err: error, handler: handler.name, outboxId: message.id }, "realtime handler failed");
          failures.push(`${handler.name}: ${(error as Error).message}`);
        }
      }
      if (failures.length > 0) throw new Error(failures.join("; "));
    },
  };
}
