import { setTimeout as sleep } from "node:timers/promises";

/** True for the lock errors a retry cures: MariaDB deadlock/lock wait, SQLite busy. */
export function isTransientLockError(error: unknown): boolean {
  const code = (error as { code?: string; driverError?: { code?: string } })?.driverError?.code ?? (error as { code?: string })?.code;
  return code === "ER_LOCK_DEADLOCK" || code === "ER_LOCK_WAIT_TIMEOUT" || code === "SQLITE_BUSY";
}

/** Runs a transaction again (up to `attempts` times) when the database chose it as a deadlock victim. */
export async function withDeadlockRetry<T>(work: () => Promise<T>, attempts = 4): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= attempts || !isTransientLockError(error)) throw error;
      await sleep(10 * attempt + Math.random() * 20);
    }
  }
}
