import { In, IsNull, LessThan, Not } from "typeorm";
import { OutboxMessage } from "../../entities/OutboxMessage.js";
import type { DataSource } from "typeorm";
import { defineJob, jobNow, type ClockData } from "./kind.js";

/** Rows one DELETE removes: a first run on a long-grown table does not hold locks for long. */
const DELETE_CHUNK = 2000;

/**
 * Every hour: deletes outbox messages delivered more than OUTBOX_RETENTION_DAYS ago (the audit trail lives in call and
 * ticket events; the outbox is only the way to the processors). Undelivered and dead-lettered messages stay.
 */
export const outboxRetentionJob = defineJob<ClockData>({
  name: "outbox-retention",
  queue: "maintenance",
  everyMs: 60 * 60_000,
  /** A failed run is redone by the next one: one retry. */
  options: { attempts: 2, backoff: { type: "exponential", delay: 60_000 } },
  async handle(context, data) {
    const before = new Date(jobNow(data).getTime() - context.env.OUTBOX_RETENTION_DAYS * 24 * 3600_000);
    return { deleted: await pruneDeliveredOutbox(context.dataSource, before) };
  },
});

/** Deletes the messages published before `before`, in chunks; returns how many. */
export async function pruneDeliveredOutbox(dataSource: DataSource, before: Date): Promise<number> {
  const repository = dataSource.getRepository(OutboxMessage);
  let deleted = 0;
  for (;;) {
    // By ids: SQLite has no DELETE … LIMIT; the (publishedAt, id) index finds them.
    const rows = await repository.find({ select: { id: true }, where: { publishedAt: LessThan(before) }, order: { publishedAt: "ASC" }, take: DELETE_CHUNK });
    if (rows.length === 0) return deleted;
    await repository.delete({ id: In(rows.map((row) => row.id)), publishedAt: Not(IsNull()) });
    deleted += rows.length;
    if (rows.length < DELETE_CHUNK) return deleted;
  }
}
