import { expect } from "chai";
import { OutboxMessage } from "../../entities/OutboxMessage.js";
import { outboxRetentionJob } from "../../server/jobs/outbox-retention.js";
import { jobQueues } from "../../server/jobs/queues.js";
import { startTestServer, type TestServer } from "../support/app.js";
import { resetDatabase } from "../support/database.js";
import { waitFor } from "../support/wait.js";

const DAY = 24 * 3600_000;

describe("outbox retention", () => {
  let server: TestServer;

  beforeEach(async () => {
    server = await startTestServer({ OUTBOX_RETENTION_DAYS: "3" }, { workers: true });
    await resetDatabase(server.context.dataSource);
  });
  afterEach(() => server.close());

  it("deletes the messages delivered longer ago than OUTBOX_RETENTION_DAYS, and keeps undelivered and dead ones", async () => {
    const now = new Date("2026-11-20T12:00:00Z");
    const ago = (days: number) => new Date(now.getTime() - days * DAY);
    const repository = server.context.dataSource.getRepository(OutboxMessage);
    const row = (name: string, fields: Partial<OutboxMessage>) => repository.save(repository.create({ topic: "agent.status", payload: { name }, ...fields }));
    for (let index = 0; index < 5; index++) await row(`old ${index}`, { publishedAt: ago(4 + index) });
    await row("recent", { publishedAt: ago(2) });
    await row("never delivered", { publishedAt: null, attempts: 3, nextAttemptAt: ago(3.5) });
    await row("dead", { publishedAt: null, attempts: 20, deadAt: ago(10) });

    const queue = jobQueues(server.context).get(outboxRetentionJob.queue);
    const job = await queue.add(outboxRetentionJob.name, { now: now.toISOString() }, { jobId: "retention-test" });
    await waitFor(async () => (await queue.getJobState(job.id!)) === "completed", 10_000, "the retention job");
    expect((await queue.getJob(job.id!))!.returnvalue).to.deep.equal({ deleted: 5 });
    const left = await repository.find({ order: { id: "ASC" } });
    expect(left.map((message) => message.payload.name)).to.deep.equal(["recent", "never delivered", "dead"]);
  });

  it("runs hourly from a Job Scheduler", async () => {
    const schedulers = await jobQueues(server.context).get(outboxRetentionJob.queue).getJobSchedulers();
    expect(schedulers.map((scheduler) => [scheduler.name, scheduler.every])).to.deep.equal([["outbox-retention", 3600_000]]);
  });
});
