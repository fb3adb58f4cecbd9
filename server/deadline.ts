import { AsyncLocalStorage } from "node:async_hooks";

/** The deadline passed before the work answered (the work's own failures keep their errors). */
export class DeadlineExceeded extends Error {
  override readonly name = "DeadlineExceeded";
}

/** True when `work` settled within `ms` (its failure still throws); false when the deadline came first. */
export async function finishedWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  try {
    await withDeadline(work, ms);
    return true;
  } catch (error) {
    if (error instanceof DeadlineExceeded) return false;
    throw error;
  }
}

/**
 * Resolves as `work` does, or rejects with `message` once `ms` have passed (the work itself goes on; its outcome is
 * then ignored). Used where an answer must come in time whatever a dependency does: webhooks, readiness, enqueues.
 */
export async function withDeadline<T>(work: Promise<T>, ms: number, message = `no answer within ${ms} ms`): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new DeadlineExceeded(message)), ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** One webhook's race against its deadline: running, committing (a transaction is committing or committed), or expired (answered without it). */
interface DeadlineRace {
  state: "running" | "committing" | "expired";
}

const races = new AsyncLocalStorage<DeadlineRace>();

/**
 * Runs `work` under a deadline that also binds its transactions: once the deadline has passed (and the caller got the
 * fallback answer), no transaction of `work` may commit any more (claimCommit throws, it rolls back), so what the work
 * would have answered never becomes the stored truth. A transaction that claimed its commit before the deadline wins:
 * its answer is the one given (waited for up to `graceMs` more, still inside Twilio's 15 s).
 */
export async function withCommitDeadline<T>(work: () => Promise<T>, ms: number, graceMs: number): Promise<T> {
  const race: DeadlineRace = { state: "running" };
  const running = races.run(race, work);
  try {
    return await withDeadline(running, ms);
  } catch (error) {
    if (!(error instanceof DeadlineExceeded)) throw error;
    if (race.state === "committing") {
      try {
        return await withDeadline(running, graceMs);
      } catch (late) {
        if (!(late instanceof DeadlineExceeded)) throw late;
      }
    }
    race.state = "expired";
    running.catch(() => undefined); // it goes on, and its rollback is expected
    throw error;
  }
}

/**
 * Called right before a transaction commits: outside withCommitDeadline nothing happens; after the deadline it throws
 * DeadlineExceeded (the transaction rolls back); before it, the commit is claimed.
 */
export function claimCommit(): void {
  const race = races.getStore();
  if (!race) return;
  if (race.state === "expired") throw new DeadlineExceeded("the webhook was answered without this work (its deadline passed): not committed");
  race.state = "committing";
}

/** Runs `fn` outside any webhook's deadline (background work it starts, e.g. publishing the outbox, is not bound by it). */
export function outsideDeadline<T>(fn: () => T): T {
  return races.exit(fn);
}
