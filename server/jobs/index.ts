import type { AppContext } from "../context.js";
import type { OutboxProcessor } from "../events/publisher.js";

/** Outbox processor that turns committed events into BullMQ jobs. Filled by the jobs issue. */
export function jobsProcessor(_context: AppContext): OutboxProcessor {
  return { name: "jobs", topics: [], handle: async () => undefined };
}

/** Starts the BullMQ workers of every job kind; close() lets active jobs finish. Filled by the jobs issue. */
export async function startWorkers(_context: AppContext): Promise<{ close(): Promise<void> }> {
  return { close: async () => undefined };
}
