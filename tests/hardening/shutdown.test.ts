import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "chai";
import { Redis } from "ioredis";
import { io as connect } from "socket.io-client";
import twilio from "twilio";
import { DataSource, In, IsNull, MoreThan } from "typeorm";
import { Call } from "../../entities/Call.js";
import { OutboxMessage } from "../../entities/OutboxMessage.js";
import { openSession } from "../../server/auth/sessions.js";
import { dataSourceOptions } from "../../server/db/data-source.js";
import { findAll, parseTwiml } from "../../server/twilio/simulator.js";
import { IvrFixtures } from "../ivr/fixtures.js";
import { TEST_AUTH_TOKEN } from "../support/app.js";
import { testDatabaseTarget, testDataSource } from "../support/database.js";
import { freePort } from "../support/wait.js";

/** The compiled entry points next to this compiled test (dist/ under npm test, .build/<you>/ for a private build). */
const MAIN = fileURLToPath(new URL("../../server/main.js", import.meta.url));
const WORKER = fileURLToPath(new URL("../../server/worker.js", import.meta.url));
const BURST = 40;
/** "Within a few seconds": typically 1–3 s here; the bound leaves room for a machine busy with other test runs. */
const SHUTDOWN_BOUND_MS = 20_000;
const KNOWN_PHONE = "+32470777001";

/** A started process with its JSON log lines as they come. */
interface Child {
  process: ChildProcessWithoutNullStreams;
  stderr(): string;
  lines: { msg?: string; level?: number }[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
  waitForLog(message: string, timeoutMs?: number): Promise<void>;
}

function start(entry: string, env: Record<string, string>): Child {
  const child = spawn(process.execPath, [entry], { env: { PATH: process.env.PATH ?? "", ...env }, stdio: ["ignore", "pipe", "pipe"] }) as unknown as ChildProcessWithoutNullStreams;
  const lines: Child["lines"] = [];
  let stderr = "";
  const waiters: (() => void)[] = [];
  let buffered = "";
  child.stdout.on("data", (chunk: Buffer) => {
    buffered += chunk.toString();
    const complete = buffered.split("\n");
    buffered = complete.pop()!;
    for (const line of complete) {
      try {
        lines.push(JSON.parse(line));
      } catch {
        lines.push({ msg: line });
      }
    }
    for (const wake of waiters.splice(0)) wake();
  });
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    child.once("exit", (code, signal) => {
      for (const wake of waiters.splice(0)) wake();
      resolve({ code, signal, at: Date.now() });
    }),
  );
  return {
    process: child,
    stderr: () => stderr,
    lines,
    exited,
    async waitForLog(message, timeoutMs = 45_000) {
      const deadline = Date.now() + timeoutMs;
      while (!lines.some((line) => line.msg?.includes(message))) {
        if (child.exitCode !== null || Date.now() > deadline) {
          throw new Error(`no "${message}" from ${path.basename(entry)} (exit ${child.exitCode}); log: ${JSON.stringify(lines.slice(-5))} ${stderr.slice(-500)}`);
        }
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 200);
        });
      }
    },
  };
}

type WebhookOutcome = { status: number; body: string; error?: string };

/** A signed webhook request as Twilio makes it (kept-alive connection), not yet sent; `outcome` settles with its answer or error. */
function signedWebhookRequest(agent: http.Agent, port: number, pathname: string, params: Record<string, string>): { request: http.ClientRequest; body: string; outcome: Promise<WebhookOutcome> } {
  const url = `http://127.0.0.1:${port}${pathname}`;
  const body = new URLSearchParams(params).toString();
  let request!: http.ClientRequest;
  const outcome = new Promise<WebhookOutcome>((resolve) => {
    const failed = (error: NodeJS.ErrnoException) => resolve({ status: 0, body: "", error: error.code ?? error.message });
    request = http.request(url, {
      method: "POST",
      agent,
      headers: { "content-type": "application/x-www-form-urlencoded", "content-length": Buffer.byteLength(body), "x-twilio-signature": twilio.getExpectedTwilioSignature(TEST_AUTH_TOKEN, url, params) },
    }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      response.on("error", failed);
    });
    request.on("error", failed);
  });
  return { request, body, outcome };
}

/** A signed webhook sent in two halves: headers and half the body now, the rest on finish(). */
function startWebhook(agent: http.Agent, port: number, pathname: string, params: Record<string, string>): { sent: Promise<void>; finish(): void; outcome: Promise<WebhookOutcome> } {
  const { request, body, outcome } = signedWebhookRequest(agent, port, pathname, params);
  const half = Math.floor(body.length / 2);
  const sent = new Promise<void>((resolve) => request.write(body.slice(0, half), () => resolve()));
  return { sent, outcome, finish: () => request.end(body.slice(half)) };
}

/** A webhook as Twilio sends it: signed, on a kept-alive connection. */
function postWebhook(agent: http.Agent, port: number, pathname: string, params: Record<string, string>): Promise<WebhookOutcome> {
  const { request, body, outcome } = signedWebhookRequest(agent, port, pathname, params);
  request.end(body);
  return outcome;
}

describe("graceful shutdown on SIGTERM (the real entry points as child processes)", function () {
  this.timeout(90_000);
  let env: Record<string, string>;
  let dataSource: DataSource;
  let ownDataSource = false;
  let tmp: string;
  let prefix: string;
  let cookie: string;
  let outboxBefore: number;

  before(async () => {
    for (const entry of [MAIN, WORKER]) if (!fs.existsSync(entry)) throw new Error(`${entry} is not built (npm run build:server)`);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "sd-shutdown-"));
    prefix = `sdtest-shutdown-${process.pid}-${Date.now().toString(36)}`;
    const target = await testDatabaseTarget();
    env = {
      NODE_ENV: "test",
      LOG_LEVEL: "info",
      REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379",
      REDIS_AUTOSTART: "false",
      REDIS_PREFIX: prefix,
      TWILIO_AUTH_TOKEN: TEST_AUTH_TOKEN,
      SEED_ON_EMPTY: "false",
      RUN_WORKERS: "true",
      DATA_DIR: tmp,
    };
    if (target.url) {
      // MariaDB: the child shares this run's private database.
      env.DATABASE_URL = target.url;
      dataSource = await testDataSource();
    } else {
      // SQLite: the child gets a file of its own (one writer per file), migrated and filled here, then let go.
      dataSource = new DataSource(dataSourceOptions({ sqliteFile: path.join(tmp, "servicedesk.sqlite") }));
      await dataSource.initialize();
      await dataSource.runMigrations({ transaction: "each" });
      ownDataSource = true;
    }
    const fx = new IvrFixtures(dataSource);
    const { customer } = await fx.customer({ contract: { paid: true, validFrom: "2000-01-01", validTo: "2999-12-31" } });
    await fx.person(customer, { firstName: "Sigrid", phone: KNOWN_PHONE, language: "nl" });
    const agent = await fx.agent();
    cookie = `sd_session=${(await openSession(dataSource, agent.id, 1)).token}`;
    outboxBefore = (await dataSource.getRepository(OutboxMessage).maximum("id")) ?? 0;
    if (ownDataSource) await dataSource.destroy();
  });
  after(async () => {
    const redis = new Redis(env.REDIS_URL);
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("finishes the webhooks in flight with complete TwiML, refuses new connections, closes sockets and exits 0", async () => {
    const port = await freePort();
    const child = start(MAIN, { ...env, PORT: String(port), PUBLIC_BASE_URL: `http://127.0.0.1:${port}` });
    try {
      await child.waitForLog("servicedesk listening");
      const desk = connect(`http://127.0.0.1:${port}`, { forceNew: true, reconnection: false, transports: ["websocket"], extraHeaders: { cookie } });
      await new Promise<void>((resolve, reject) => {
        desk.once("connect", resolve);
        desk.once("connect_error", reject);
      });
      const socketClosed = new Promise<string>((resolve) => desk.once("disconnect", resolve));

      const twilioAgent = new http.Agent({ keepAlive: true, maxSockets: BURST });
      // A desk that has been up a while: its code is warm (the very first requests of a process compile for a while).
      for (let i = 0; i < 3; i++) {
        const warm = await postWebhook(twilioAgent, port, "/twilio/voice", { CallSid: `CA${"e".repeat(31)}${i}`, From: KNOWN_PHONE, To: "+3232000000" });
        expect(warm.status).to.equal(200);
      }
      // A burst of webhooks caught mid-request: the server has them (headers and half the body) when SIGTERM comes.
      const callSids = Array.from({ length: BURST }, (_, i) => `CA${process.pid.toString(16).padStart(8, "0")}${Date.now().toString(16).padStart(16, "0")}${i.toString(16).padStart(8, "0")}`);
      const burst = callSids.map((CallSid) => startWebhook(twilioAgent, port, "/twilio/voice", { CallSid, AccountSid: `AC${"0".repeat(32)}`, From: KNOWN_PHONE, To: "+3232000000", CallStatus: "ringing", Direction: "inbound" }));
      await Promise.all(burst.map((webhook) => webhook.sent));
      // An answer on a new connection means the server's event loop went round since: it has accepted and read the burst.
      expect((await postWebhook(new http.Agent({ keepAlive: false }), port, "/healthz", {})).status).to.be.within(200, 499);

      const signalledAt = Date.now();
      child.process.kill("SIGTERM");
      await child.waitForLog("stopped accepting connections", 5000);
      const late = await postWebhook(new http.Agent({ keepAlive: false }), port, "/twilio/voice", { CallSid: `CA${"f".repeat(32)}`, From: KNOWN_PHONE, To: "+3232000000" });
      for (const webhook of burst) webhook.finish();
      const outcomes = await Promise.all(burst.map((webhook) => webhook.outcome));
      const exit = await child.exited;
      twilioAgent.destroy();
      desk.close();

      for (const outcome of outcomes) {
        expect(outcome.error, outcome.body).to.equal(undefined);
        expect(outcome.status).to.equal(200);
        const twiml = parseTwiml(outcome.body);
        expect(findAll(twiml, "Say").length + findAll(twiml, "Gather").length, outcome.body).to.be.greaterThan(0);
      }
      expect(late.error, "a connection after SIGTERM").to.be.oneOf(["ECONNREFUSED", "ECONNRESET"]);
      expect(await socketClosed).to.be.oneOf(["io server disconnect", "transport close"]);
      expect(exit).to.include({ code: 0, signal: null });
      console.log(`      SIGTERM to exit 0 with ${BURST} webhooks in flight: ${exit.at - signalledAt} ms`);
      expect(exit.at - signalledAt, "ms from SIGTERM to exit").to.be.below(SHUTDOWN_BOUND_MS);

      // What the webhooks committed is stored and was published before the process left.
      const check = ownDataSource ? new DataSource(dataSourceOptions({ sqliteFile: path.join(tmp, "servicedesk.sqlite") })) : dataSource;
      if (ownDataSource) await check.initialize();
      try {
        const calls = await check.getRepository(Call).find({ where: { callSid: In(callSids) }, select: { id: true } });
        expect(calls).to.have.length(BURST);
        expect(await check.getRepository(OutboxMessage).countBy({ id: MoreThan(outboxBefore), publishedAt: IsNull() })).to.equal(0);
      } finally {
        if (ownDataSource) await check.destroy();
      }
    } finally {
      if (child.process.exitCode === null) child.process.kill("SIGKILL");
    }
  });

  it("stops the worker process (npm run worker) on SIGTERM with exit code 0", async () => {
    const child = start(WORKER, env);
    try {
      await child.waitForLog("workers running");
      const signalledAt = Date.now();
      child.process.kill("SIGTERM");
      const exit = await child.exited;
      expect(exit, JSON.stringify(child.lines) + child.stderr()).to.include({ code: 0, signal: null });
      expect(exit.at - signalledAt).to.be.below(SHUTDOWN_BOUND_MS);
    } finally {
      if (child.process.exitCode === null) child.process.kill("SIGKILL");
    }
  });
});
