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
