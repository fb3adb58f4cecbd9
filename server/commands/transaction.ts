import type { DataSource } from "typeorm";
import { parseEnv } from "../config/env.js";
import { BusinessCalendar } from "../domain/business-hours.js";
import { runTransaction } from "../db/transaction-runner.js";
import { claimCommit, outsideDeadline } from "../deadline.js";
import { OutboxRecorder } from "../events/outbox.js";
import type { OutboxPublisher } from "../events/publisher.js";

/** What every command needs: the database and the publisher that runs after commit. */
export interface CommandContext {
  dataSource: DataSource;
  publisher: OutboxPublisher;
  /** The desk's business calendar (SLA clocks, opening hours); defaults to the default settings. */
  calendar?: BusinessCalendar;
}

let defaultCalendar: BusinessCalendar | undefined;

/** The context's business calendar, or one built from the default settings (Europe/Brussels, 08:30–17:00, Mon–Fri). */
export function calendarOf(context: { calendar?: BusinessCalendar }): BusinessCalendar {
  if (context.calendar) return context.calendar;
  defaultCalendar ??= BusinessCalendar.fromEnv(parseEnv({}));
  return defaultCalendar;
}

/**
 * Runs `work` in one transaction; the outbox messages it records are published only after commit, in the
 * background (publisher.idle() waits for them). A failed publish is not an error for the caller: the drainer retries it.
 */
export async function inTransaction<T>(context: CommandContext, work: (tx: OutboxRecorder) => Promise<T>): Promise<T> {
  let recorder!: OutboxRecorder;
  const result = await runTransaction(
    context.dataSource,
    (manager) => work((recorder = new OutboxRecorder(manager))),
    () => {
      // A webhook already answered with its fallback must not commit what it would have answered (server/deadline.ts).
      claimCommit();
      return recorder.finalWrites();
    },
  );
  outsideDeadline(() => context.publisher.publishSoon(recorder.written));
  return result;
}
