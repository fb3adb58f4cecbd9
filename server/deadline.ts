/**
 * Resolves as `work` does, or rejects with `message` once `ms` have passed (the work itself goes on; its outcome is
 * then ignored). Used where an answer must come in time whatever a dependency does: webhooks, readiness, enqueues.
 */
export async function withDeadline<T>(work: Promise<T>, ms: number, message = `no answer within ${ms} ms`): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}
