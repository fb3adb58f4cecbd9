import { CallbackRequest } from "../../entities/CallbackRequest.js";
import { CALLBACK_RETRY_DELAY_MS } from "../commands/callback-outcome-recorder.js";
import { inTransaction } from "../commands/transaction.js";
import type { AppContext } from "../context.js";
import { availableAgents } from "../domain/offer-targets.js";
import { defineJob, jobNow, type ClockData } from "./kind.js";

export interface CallbackDispatchData extends ClockData {
  /** Only this callback (a new request, a retry after its delay); absent: every waiting one. */
  callbackId?: number;
}

/** An offer nobody accepted is shown again after this long (agents who became available see it). */
export const CALLBACK_REOFFER_MS = 2 * 60_000;

/**
 * Offers waiting callbacks, oldest queuedAt first so callers keep their place: a pending callback with an
 * available agent who may take it becomes `offered` and `callback.updated` pops it on their consoles; an
 * offer left unanswered is announced again. Runs on each new request, after a retry delay, and every 30 s.
 */
export const callbackDispatchJob = defineJob<CallbackDispatchData>({
  name: "callback-dispatch",
  queue: "callbacks",
  everyMs: 30_000,
  /** The next run redoes a failed one; two attempts. */
  options: { attempts: 2, backoff: { type: "exponential", delay: 2000 } },
  async handle(context, data) {
    await dispatchCallbacks(context, jobNow(data), data.callbackId);
  },
});

/** Offers and re-offers callbacks at `now`; returns the ids announced. */
export async function dispatchCallbacks(context: AppContext, now: Date, onlyId?: number): Promise<number[]> {
  const repository = context.dataSource.getRepository(CallbackRequest);
  const waiting = await repository.find({
    where: onlyId !== undefined ? { id: onlyId } : [{ status: "pending" }, { status: "offered" }],
    order: { queuedAt: "ASC", id: "ASC" },
  });
  const announced: number[] = [];
  // With nobody available no callback is offered (with anyone available, R8's fallback offers every language);
  // asked once, and only when a callback is ready to be offered.
  let anyoneAvailable: boolean | undefined;
  for (const callback of waiting) {
    if (callback.status === "pending") {
      // A callback whose last call was not answered waits out its retry delay (unless this is its retry job).
      const resting = callback.attempts > 0 && now.getTime() - callback.updatedAt.getTime() < CALLBACK_RETRY_DELAY_MS && onlyId !== callback.id;
      if (resting) continue;
      anyoneAvailable ??= (await availableAgents(context.dataSource.manager)).length > 0;
      if (!anyoneAvailable) continue;
      const offered = await inTransaction(context, async (tx) => {
        const result = await tx.manager.getRepository(CallbackRequest).update({ id: callback.id, status: "pending" }, { status: "offered" });
        if (result.affected) await tx.record("callback.updated", { callbackId: callback.id });
        return Boolean(result.affected);
      });
      if (offered) announced.push(callback.id);
    } else if (callback.status === "offered" && now.getTime() - callback.updatedAt.getTime() >= CALLBACK_REOFFER_MS) {
      await inTransaction(context, async (tx) => {
        const result = await tx.manager.getRepository(CallbackRequest).update({ id: callback.id, status: "offered" }, { lastError: null });
        if (result.affected) await tx.record("callback.updated", { callbackId: callback.id });
      });
      announced.push(callback.id);
    }
  }
  return announced;
}
