import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "chai";
import { Redis } from "ioredis";
import { OutboxMessage } from "../../entities/OutboxMessage.js";
import { SmsMessage } from "../../entities/SmsMessage.js";
import { callbackRequester } from "../../server/commands/callback-requester.js";
import { remoteSessionBooker } from "../../server/commands/remote-session-booker.js";
import type { OutboxEnvelope } from "../../server/events/topics.js";
import { jobsProcessor, startWorkers } from "../../server/jobs/index.js";
import { JOB_KINDS } from "../../server/jobs/kinds.js";
import { jobQueues, QUEUE_NAMES } from "../../server/jobs/queues.js";
import type { TwilioRestClient } from "../../server/twilio/client.js";
import { startTestServer, type TestServer } from "../support/app.js";
import { resetDatabase, testDatabaseTarget } from "../support/database.js";
import { createAgent, createCustomer, createPerson, createTicket, eventually, nextBusinessDayAt } from "./fixtures.js";

describe("job workers", () => {
  let server: TestServer;
  let booking: () => Promise<number>;

  beforeEach(async () => {
    server = await startTestServer();
    const ds = server.context.dataSource;
    await resetDatabase(ds);
    const { agent } = await createAgent(ds);
    const { customer } = await createCustomer(ds);
    const person = await createPerson(ds, customer.id);
    const ticket = await createTicket(ds, { customerId: customer.id });
    let hour = 9;
    booking = async () => {
      const session = await remoteSessionBooker(server.context, { ticketId: ticket.id, personId: person.id, agentId: agent.id, scheduledAt: nextBusinessDayAt(server.context.calendar, hour++, 0), durationMinutes: 30 });
      await server.context.publisher.idle(); // the outbox is published in the background after commit
      return session.id;
    };
  });
  afterEach(async () => {
    await server.close();
  });

  const confirmation = (sessionId: number) => server.context.dataSource.getRepository(SmsMessage).findOneBy({ idempotencyKey: `remote-session-${sessionId}-r1-confirmed`, status: "sent" });

  it("turns a committed outbox message into one job whose id comes from the outbox id, however often it is delivered", async () => {
    const { callbackId } = await callbackRequester(server.context, { callId: null, ticketId: null, phoneNumber: "+32470123456", language: "fr", queuedAt: new Date() });
    await server.context.publisher.idle(); // published in the background after commit
    const row = await server.context.dataSource.getRepository(OutboxMessage).findOneByOrFail({ topic: "callback.requested" });
    expect(row.publishedAt).to.not.equal(null);
    const queue = jobQueues(server.context).get("callbacks");
    const envelope = { id: row.id, topic: row.topic, payload: row.payload, createdAt: row.createdAt } as OutboxEnvelope;
    await jobsProcessor(server.context).handle(envelope);
    await jobsProcessor(server.context).handle(envelope);
    const jobs = await queue.getJobs(["waiting", "delayed", "active", "completed"]);
    expect(jobs.map((job) => [job.id, job.name, job.data])).to.deep.equal([[`outbox-${row.id}`, "callback-dispatch", { callbackId }]]);
  });

  it("runs a job enqueued while no worker ran, and again after a worker was closed and reopened", async () => {
    const first = await booking();
    expect(await jobQueues(server.context).get("remote-sessions").getJobState(`rs-${first}-r1-sms-confirmed`)).to.equal("waiting");
    let workers = await startWorkers(server.context);
    await eventually(() => confirmation(first), 5000, "the first confirmation");
    await workers.close();

    const second = await booking();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await confirmation(second)).to.equal(null);
    workers = await startWorkers(server.context);
    await eventually(() => confirmation(second), 5000, "the second confirmation");
    await workers.close();
    expect(await server.context.dataSource.getRepository(SmsMessage).count()).to.equal(2);
  });

  it("lets an active job finish when the workers close", async () => {
    const real = server.context.twilio;
    let started!: () => void;
    const sending = new Promise<void>((resolve) => (started = resolve));
    server.context.twilio = Object.assign(Object.create(real), {
      sendSms: async (message: Parameters<TwilioRestClient["sendSms"]>[0]) => {
        started();
        await new Promise((resolve) => setTimeout(resolve, 500));
        return real.sendSms(message);
      },
    }) as TwilioRestClient;
    try {
      const workers = await startWorkers(server.context);
      const sessionId = await booking();
      await sending;
      await workers.close();
      expect(await confirmation(sessionId)).to.not.equal(null);
      expect(await jobQueues(server.context).get("remote-sessions").getJobState(`rs-${sessionId}-r1-sms-confirmed`)).to.equal("completed");
    } finally {
      server.context.twilio = real;
    }
  });

  it("declares a retry policy for every job kind and never retries an unknown job", async () => {
    for (const kind of JOB_KINDS) {
      expect(kind.options.attempts, kind.name).to.be.at.least(2);
      expect(kind.options.backoff, kind.name).to.deep.include({ type: "exponential" });
      expect(QUEUE_NAMES, kind.name).to.include(kind.queue);
    }
    const workers = await startWorkers(server.context);
    try {
      const queue = jobQueues(server.context).get("sla");
      await queue.add("no-such-job", {}, { jobId: "unknown-job", attempts: 3, backoff: { type: "fixed", delay: 10 } });
      await eventually(async () => (await queue.getJobState("unknown-job")) === "failed", 5000, "the unknown job to fail");
      expect((await queue.getJob("unknown-job"))!.attemptsMade).to.equal(1);
    } finally {
      await workers.close();
    }
  });

  it("keeps the recurring scans in Job Schedulers under the deployment's Redis prefix", async () => {
    const workers = await startWorkers(server.context);
    try {
      const schedulers: Record<string, number | undefined> = {};
      for (const queue of jobQueues(server.context).all()) {
        for (const scheduler of await queue.getJobSchedulers()) schedulers[scheduler.name] = scheduler.every ?? undefined;
      }
      expect(schedulers).to.deep.equal({ "sla-scan": 60_000, "follow-up-scan": 300_000, "callback-dispatch": 30_000, "call-status-check": 120_000, "remote-session-missed-scan": 300_000, "outbox-retention": 3_600_000 });
      const redis = new Redis(server.context.redisUrl);
      const keys = await redis.keys(`${server.context.env.REDIS_PREFIX}:*`);
      redis.disconnect();
      for (const name of QUEUE_NAMES) expect(keys.some((key) => key.startsWith(`${server.context.env.REDIS_PREFIX}:${name}:`)), name).to.equal(true);
    } finally {
      await workers.close();
    }
  });

  describe("npm run worker", function () {
    let child: ChildProcess | undefined;
    afterEach(() => {
      child?.kill("SIGKILL");
      child = undefined;
    });

    it("runs the jobs in a process of its own and exits cleanly on SIGTERM", async function () {
      const target = await testDatabaseTarget();
      // The embedded database lives in one process (its file name is fixed by DATA_DIR); MariaDB is shared.
      if (!target.url) this.skip();
      const entry = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../server/worker.js");
      child = spawn(process.execPath, [entry], {
        env: {
          ...process.env,
          DATABASE_URL: target.url,
          REDIS_URL: server.context.redisUrl,
          REDIS_AUTOSTART: "false",
          REDIS_PREFIX: server.context.env.REDIS_PREFIX,
          LOG_LEVEL: "info",
          NODE_ENV: "test",
        },
        stdio: ["ignore", "pipe", "pipe"],
      });
      let output = "";
      child.stdout!.on("data", (chunk) => (output += chunk));
      child.stderr!.on("data", (chunk) => (output += chunk));
      await eventually(async () => output.includes("workers running"), 10_000, "the worker process");
      const sessionId = await booking();
      await eventually(() => confirmation(sessionId), 5000, "the confirmation sent by the worker process");
      const exited = new Promise<number | null>((resolve) => child!.once("exit", (code) => resolve(code)));
      child.kill("SIGTERM");
      expect(await exited).to.equal(0);
      expect(output).to.contain("letting active jobs finish");
    });
  });
});
