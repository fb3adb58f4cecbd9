// `npm run bench`: drives simulated callers through the whole IVR with signed webhooks at rising concurrency,
// with agent sockets connected, and prints call setups/s, webhook and screen-pop latency, errors and peak RSS,
// against a bare Express ceiling; then repeats on a large data set. Writes bench/results/latest.{json,md}.
// `--instances=N` (default 1) runs N app processes behind a round-robin, as a deployment would;
// the ceiling then runs as N processes too, so the ratio compares like with like.
import { fork, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { createConnection } from "mysql2/promise";
import { Queue } from "bullmq";
import { In } from "typeorm";
import { Agent } from "../entities/Agent.js";
import { hashPassword } from "../server/auth/passwords.js";
import { openSession } from "../server/auth/sessions.js";
import { parseEnv } from "../server/config/env.js";
import { openDatabase } from "../server/db/data-source.js";
import { readTogether } from "../server/db/reads.js";
import { BusinessCalendar } from "../server/domain/business-hours.js";
import { callerContractsRead } from "../server/domain/entitlement.js";
import { personsByPhoneRead } from "../server/domain/identification.js";
import { completeScreenPopParts, loadPopCall } from "../server/realtime/screen-pops.js";
import { projectRoot } from "../server/paths.js";
import { MemoryQueueRegistry, TwilioSimulator, type WebhookRequest, type WebhookTransport } from "../server/twilio/simulator.js";
import { generateLargeDataSet } from "./generate-data.js";

const args = new Map(process.argv.slice(2).map((arg) => { const [key, value] = arg.replace(/^--/, "").split("="); return [key!, value ?? "true"]; }));
const LEVELS = (args.get("levels") ?? "20,35,50,75,100,125,150").split(",").map(Number);
/** How long each caller waits in the queue before hanging up: long enough for the pop to reach the agents. */
const HOLD_MS = Number(args.get("hold-ms") ?? 1000);
/** Seconds per level: long enough that a p99 rests on a few thousand webhooks, not on the worst dozen. */
const SECONDS = Number(args.get("seconds") ?? 15);
const AGENTS = Number(args.get("agents") ?? 500);
const AVAILABLE_AGENTS = Number(args.get("available") ?? 40);
const SMALL_PERSONS = 2_000;
const LARGE_PERSONS = Number(args.get("large-persons") ?? 100_000);
const LARGE_TICKETS = Number(args.get("large-tickets") ?? 1_000_000);
const SKIP_LARGE = args.get("skip-large") === "true";
/** `--by-step` also prints the latency of each webhook path (voice, ivr/contactType, queue/exit, status …). */
const BY_STEP = args.get("by-step") === "true";
const INSTANCES = Math.max(1, Number(args.get("instances") ?? 1));
/**
 * MariaDB's InnoDB buffer pool for the run, in MiB (`--buffer-pool=keep` leaves the server's own). The Debian default
 * of 128 MiB cannot hold the large data set's ticket indexes; MariaDB then reads pages from disk (O_DIRECT: not
 * from the OS cache), which measures an undersized server, not the app. 1 GiB is what README recommends for a
 * large desk; the run sets it for both data sets alike, restores the server's value at the end, and says so.
 */
const BUFFER_POOL_MB = args.get("buffer-pool") ?? "1024";
/**
 * Seconds of load before the first measured level. V8 needs tens of seconds of traffic to optimise the hot paths
 * of the app (and of the load generator): measured cold, the app spends ~60% more CPU per call setup than it does
 * warm, which is not what a desk that has been up for more than a minute sees.
 */
const WARMUP_SECONDS = Number(args.get("warmup") ?? 30);
// The local MariaDB over its Unix socket when there is one (as an app on the database's machine would connect).
const LOCAL_SOCKET = "/run/mysqld/mysqld.sock";
const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? (fs.existsSync(LOCAL_SOCKET) ? `mysql://root@localhost/sd_bench?socketPath=${LOCAL_SOCKET}` : "mysql://root@127.0.0.1:3306/sd_bench");
const AUTH_TOKEN = "bench-auth-token-0123456789";
const REDIS_PREFIX = `bench-${process.pid}`;
const DESK = "+3232000000";

const phoneOf = (personId: number) => `+3247${String(10_000_000 + personId).slice(-7)}`;
const percentile = (values: number[], p: number) => {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};
const round = (value: number, digits = 1) => Number.isFinite(value) ? Number(value.toFixed(digits)) : null;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

/** Runs `work` on a connection to the bench's MariaDB server (no database selected). */
async function onServer<T>(work: (connection: Awaited<ReturnType<typeof createConnection>>) => Promise<T>): Promise<T> {
  const url = new URL(DATABASE_URL);
  const socketPath = url.searchParams.get("socketPath") ?? undefined;
  const connection = await createConnection({ host: url.hostname, port: Number(url.port || 3306), socketPath, user: decodeURIComponent(url.username), password: decodeURIComponent(url.password) });
  try {
    return await work(connection);
  } finally {
    await connection.end();
  }
}

async function resetDatabase(): Promise<void> {
  const name = new URL(DATABASE_URL).pathname.slice(1);
  await onServer(async (connection) => {
    await connection.query(`DROP DATABASE IF EXISTS \`${name}\``);
    await connection.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  });
}

const bufferPoolMb = () => onServer(async (connection) => Number(((await connection.query("SELECT @@innodb_buffer_pool_size AS size")) as unknown as [{ size: number }[]])[0][0]!.size) / 2 ** 20);

/** Sets InnoDB's buffer pool (online; MariaDB resizes it in the background) and waits until it has that size. */
async function setBufferPool(mb: number): Promise<void> {
  await onServer((connection) => connection.query(`SET GLOBAL innodb_buffer_pool_size = ${Math.round(mb) * 2 ** 20}`));
  for (let i = 0; i < 600 && Math.abs((await bufferPoolMb()) - mb) >= 1; i++) await new Promise((resolve) => setTimeout(resolve, 100));
}

/** Creates the agent accounts (a share of them available, languages spread) and returns session tokens. */
async function createAgents(count: number, available: number): Promise<string[]> {
  const dataSource = await openDatabase({ url: DATABASE_URL });
  const passwordHash = await hashPassword("bench-password");
  const languages = [["nl"], ["fr"], ["en"], ["de"], ["nl", "fr"], ["nl", "en"], ["fr", "de"], ["en", "de"]] as const;
  const statuses = ["on_call", "wrap_up", "away"] as const;
  const rows = Array.from({ length: count }, (_, i) => ({
    email: `bench-agent-${i}@care.test`,
    name: `Bench Agent ${i}`,
    passwordHash,
    role: "agent" as const,
    languages: [...languages[i % languages.length]!],
    status: i < available ? ("available" as const) : statuses[i % statuses.length]!,
  }));
  await dataSource.getRepository(Agent).insert(rows);
  const agents = await dataSource.getRepository(Agent).find({ where: { email: In(rows.map((r) => r.email)) }, select: { id: true } });
  const tokens: string[] = [];
  for (const agent of agents) tokens.push((await openSession(dataSource, agent.id, 12)).token);
  await dataSource.destroy();
  return tokens;
}

function startApp(port: number, publicUrl: string, index: number): Promise<ChildProcess> {
  const child = fork(path.join(projectRoot, "dist/server/main.js"), [], {
    env: {
      ...process.env,
      PORT: String(port),
      DATABASE_URL,
      REDIS_PREFIX,
      TWILIO_AUTH_TOKEN: AUTH_TOKEN,
      TWILIO_ACCOUNT_SID: "",
      PUBLIC_BASE_URL: publicUrl,
      // One instance runs the BullMQ workers, like a deployment with web processes and a worker.
      RUN_WORKERS: index === 0 ? "true" : "false",
      BUSINESS_DAYS: "1,2,3,4,5,6,7",
      BUSINESS_HOURS_START: "00:00",
      BUSINESS_HOURS_END: "23:59",
      LOG_LEVEL: "warn",
      SEED_ON_EMPTY: "false",
      NODE_ENV: "production",
    },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
    // BENCH_PROFILE=dir writes a CPU profile of the app there (open it in Chrome DevTools); BENCH_APP_FLAGS adds
    // Node flags to the app (e.g. --trace-gc, which NODE_OPTIONS refuses).
    // The heap cap of `npm start` (package.json): V8 otherwise lets the old space grow far past the live data under load.
    execArgv: [
      "--max-old-space-size=256",
      ...(process.env.BENCH_PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : []),
      ...(process.env.BENCH_APP_FLAGS?.split(" ").filter(Boolean) ?? []),
    ],
  });
  return waitReady(`http://127.0.0.1:${port}/readyz`).then(() => child);
}

async function waitReady(url: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(url)).ok) return;
    } catch { /* not up yet */ }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} did not become ready`);
}

/** CPU seconds (user + system) a process has used so far, from /proc (clock ticks of 10 ms). */
function cpuSeconds(pid: number): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").replace(/^.*\) /, "").split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

/** The process of a local server (the database, Redis) on this machine, if it runs here (for its share of the CPU). */
function localServerPid(command: RegExp): number | null {
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (command.test(fs.readFileSync(`/proc/${entry}/comm`, "utf8").trim())) return Number(entry);
    } catch { /* gone */ }
  }
  return null;
}

/** Busy and total CPU seconds of the whole machine so far (all cores, from /proc/stat). */
function machineCpuSeconds(): { busy: number; total: number } {
  const [, ...ticks] = fs.readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).map(Number);
  const total = ticks.slice(0, 8).reduce((sum, value) => sum + value, 0);
  const idle = ticks[3]! + ticks[4]!; // idle + iowait
  return { busy: (total - idle) / 100, total: total / 100 };
}

function peakRssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
}

/**
 * The load balancer: requests to the public address go to the instances in turn (each signs and checks against
 * the public URL, as behind a real proxy), so a call's successive webhooks land on different instances.
 */
const balancer = { publicOrigin: "", origins: [] as string[], next: 0 };
function balanced(url: string): string {
  if (balancer.origins.length < 2 || !url.startsWith(balancer.publicOrigin)) return url;
  const origin = balancer.origins[balancer.next++ % balancer.origins.length]!;
  return origin + url.slice(balancer.publicOrigin.length);
}

/**
 * The load generator's HTTP client: node:http with kept-alive connections. fetch (undici, web streams) cost the
 * generator about half a core at 40 call setups/s, CPU the app under test then did not get. Every webhook is timed here.
 */
const keepAlive = new http.Agent({ keepAlive: true, maxSockets: 1024 });
const webhookLatencies: number[] = [];
const identificationLatencies: number[] = [];
const stepLatencies: Record<string, number[]> = {};

function httpPost(url: string, request: WebhookRequest): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const body = request.body ?? "";
    const outgoing = http.request(url, { method: request.method, agent: keepAlive, headers: { ...request.headers, "Content-Length": Buffer.byteLength(body) } }, (incoming) => {
      let text = "";
      incoming.setEncoding("utf8");
      incoming.on("data", (chunk: string) => (text += chunk));
      incoming.on("end", () => resolve({ status: incoming.statusCode ?? 0, body: text }));
      incoming.on("error", reject);
    });
    outgoing.on("error", reject);
    outgoing.end(body);
  });
}

const timedTransport: WebhookTransport = async (url, request) => {
  const started = performance.now();
  const response = await httpPost(balanced(url), request);
  const elapsed = performance.now() - started;
  if (url.includes("/twilio/")) {
    webhookLatencies.push(elapsed);
    if (BY_STEP) (stepLatencies[new URL(url).pathname.replace("/twilio/", "")] ??= []).push(elapsed);
  }
  if (url.endsWith("/twilio/voice")) identificationLatencies.push(elapsed);
  return response;
};

interface LoadResult {
  concurrency: number;
  setups: number;
  setupsPerSecond: number;
  webhooks: number;
  webhooksPerSecond: number;
  errors: number;
  webhookP50: number | null;
  webhookP95: number | null;
  webhookP99: number | null;
  identificationP50: number | null;
  setupP50: number | null;
}

/** Runs `concurrency` callers back to back for `seconds`: ring, known caller, contact type 1, ticket, queue, wait HOLD_MS, hang up. */
async function runCallers(baseUrl: string, concurrency: number, seconds: number, personIds: number[]): Promise<LoadResult> {
  webhookLatencies.length = 0;
  identificationLatencies.length = 0;
  const simulator = new TwilioSimulator({ authToken: AUTH_TOKEN, voiceUrl: `${baseUrl}/twilio/voice`, statusUrl: `${baseUrl}/twilio/status`, queues: new MemoryQueueRegistry(), transport: timedTransport });
  const deadline = Date.now() + seconds * 1000;
  let setups = 0;
  let errors = 0;
  /** Why calls counted as errors, with how many: a figure nobody can explain is worth little. */
  const errorReasons = new Map<string, number>();
  const failed = (reason: string) => {
    errors++;
    errorReasons.set(reason, (errorReasons.get(reason) ?? 0) + 1);
  };
  const setupTimes: number[] = [];
  let next = Math.floor(Math.random() * personIds.length);
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async (_, caller) => {
    // Callers ring in spread over the first second, as calls arrive at a desk, not all in the same millisecond.
    await new Promise((resolve) => setTimeout(resolve, (caller * 1000) / concurrency));
    while (Date.now() < deadline) {
      const personId = personIds[next++ % personIds.length]!;
      const t0 = performance.now();
      try {
        const call = await simulator.start({ from: phoneOf(personId), to: DESK });
        if (call.status === "gather") await simulator.press(call, "1");
        if (call.status === "queue" && call.requests.every((r) => r.status === 200)) {
          setups++;
          setupTimes.push(performance.now() - t0);
        } else failed(`not queued (${call.status}): ${call.outcome}; last heard: ${call.heard.at(-1)?.text.slice(0, 120) ?? "nothing"}`);
        await new Promise((resolve) => setTimeout(resolve, HOLD_MS));
        await simulator.hangup(call);
        const rejected = call.requests.find((r) => r.status !== 200);
        if (rejected) failed(`HTTP ${rejected.status} from ${new URL(rejected.url).pathname}`);
      } catch (error) {
        failed(`threw: ${(error as Error).message}`);
      }
    }
  }));
  const elapsed = (performance.now() - started) / 1000;
  for (const [step, values] of Object.entries(stepLatencies)) {
    console.log(`  ${step}: ${values.length} webhooks, p50/p95/p99 ${round(percentile(values, 50))}/${round(percentile(values, 95))}/${round(percentile(values, 99))} ms`);
    delete stepLatencies[step];
  }
  for (const [reason, count] of errorReasons) console.log(`  error ×${count}: ${reason}`);
  return {
    concurrency,
    setups,
    setupsPerSecond: round(setups / elapsed)!,
    webhooks: webhookLatencies.length,
    webhooksPerSecond: round(webhookLatencies.length / elapsed)!,
    errors,
    webhookP50: round(percentile(webhookLatencies, 50)),
    webhookP95: round(percentile(webhookLatencies, 95)),
    webhookP99: round(percentile(webhookLatencies, 99)),
    identificationP50: round(percentile(identificationLatencies, 50)),
    setupP50: round(percentile(setupTimes, 50)),
  };
}

/** The same concurrency against the bare Express ceiling, through the same HTTP client: webhooks per second. */
async function runCeiling(urls: string[], concurrency: number, seconds: number): Promise<{ concurrency: number; webhooksPerSecond: number; p99: number | null }> {
  const body = new URLSearchParams({ AccountSid: "AC" + "0".repeat(32), CallSid: "CA" + "1".repeat(32), From: "+32470123456", To: DESK, CallStatus: "in-progress", Digits: "1" }).toString();
  const latencies: number[] = [];
  const deadline = Date.now() + seconds * 1000;
  const started = performance.now();
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (Date.now() < deadline) {
      const t0 = performance.now();
      await httpPost(urls[next++ % urls.length]!, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded", "X-Twilio-Signature": "x" }, body });
      latencies.push(performance.now() - t0);
    }
  }));
  return { concurrency, webhooksPerSecond: round(latencies.length / ((performance.now() - started) / 1000))!, p99: round(percentile(latencies, 99)) };
}

function startAgents(urls: string[], tokens: string[]): Promise<{ collect(): Promise<{ latencies: number[]; popsReceived: number }>; close(): Promise<void> }> {
  const worker = new Worker(new URL("./agents-worker.js", import.meta.url), { workerData: { urls, tokens } });
  const waitFor = <T>(kind: string) => new Promise<T>((resolve, reject) => {
    const onMessage = (message: { kind: string } & T) => {
      if (message.kind !== kind) return;
      worker.off("message", onMessage);
      worker.off("error", reject);
      resolve(message);
    };
    worker.on("message", onMessage);
    worker.once("error", reject);
  });
  return waitFor<{ count: number }>("connected").then(() => ({
    async collect() {
      const done = waitFor<{ latencies: number[]; popsReceived: number }>("latencies");
      worker.postMessage({ kind: "collect" });
      return done;
    },
    async close() {
      const done = waitFor("closed");
      worker.postMessage({ kind: "close" });
      await done;
      await worker.terminate();
    },
  }));
}

const machine = { cpu: os.cpus()[0]?.model ?? "unknown", cores: os.cpus().length, memoryGb: round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.type()} ${os.release()}` };
console.log(`Benchmark on ${machine.cores} × ${machine.cpu}, ${machine.memoryGb} GiB, Node ${machine.node}`);
console.log(`Database ${DATABASE_URL}; ${INSTANCES} app instance(s); ${AGENTS} agent sockets (${AVAILABLE_AGENTS} available); levels ${LEVELS.join(", ")} × ${SECONDS} s\n`);

await resetDatabase();
const serverBufferPoolMb = await bufferPoolMb();
if (BUFFER_POOL_MB !== "keep" && Number(BUFFER_POOL_MB) !== serverBufferPoolMb) await setBufferPool(Number(BUFFER_POOL_MB));
const bufferPool = { mb: await bufferPoolMb(), serverMb: serverBufferPoolMb };
console.log(`InnoDB buffer pool ${bufferPool.mb} MiB for this run${bufferPool.mb === serverBufferPoolMb ? " (the server's own)" : ` (the server's ${serverBufferPoolMb} MiB is restored at the end)`}`);
const small = await generateLargeDataSet(DATABASE_URL, SMALL_PERSONS, 20_000, () => undefined);
const smallPersonIds = Array.from({ length: small.persons }, (_, i) => small.firstPersonId + i);
const tokens = await createAgents(AGENTS, AVAILABLE_AGENTS);
const ports = await Promise.all(Array.from({ length: INSTANCES }, () => freePort()));
const baseUrl = `http://127.0.0.1:${ports[0]}`;
const apps: ChildProcess[] = [];
for (const [index, port] of ports.entries()) apps.push(await startApp(port, baseUrl, index));
balancer.publicOrigin = baseUrl;
balancer.origins = ports.map((port) => `http://127.0.0.1:${port}`);
const agents = await startAgents(balancer.origins, tokens);
const ceilingProcesses = Array.from({ length: INSTANCES }, () => fork(new URL("./ceiling-server.js", import.meta.url).pathname, [], { env: { ...process.env, PORT: "0" }, stdio: ["ignore", "inherit", "inherit", "ipc"] }));
const ceilingUrls = await Promise.all(ceilingProcesses.map((child) => new Promise<string>((resolve) => child.once("message", (message: { port: number }) => resolve(`http://127.0.0.1:${message.port}/twilio/voice`)))));

const rows: (LoadResult & { cpuMsPerSetup: { app: number | null; database: number | null; redis: number | null; benchmark: number | null }; machineBusyShare: number | null; popP50: number | null; popP99: number | null; pops: number; poppedShare: number | null; ceilingWebhooksPerSecond: number; ratio: number | null })[] = [];
const WARMUP_CONCURRENCY = 50;
console.log(`warming up: ${WARMUP_SECONDS} s of callers at concurrency ${WARMUP_CONCURRENCY} (not measured)`);
await runCallers(baseUrl, WARMUP_CONCURRENCY, WARMUP_SECONDS, smallPersonIds);
await runCeiling(ceilingUrls, WARMUP_CONCURRENCY, 5);
await new Promise((resolve) => setTimeout(resolve, 2000)); // the last callers hang up, their pops close
await agents.collect();
const dbPid = localServerPid(/^(mariadbd|mysqld)$/);
const redisPid = localServerPid(/^redis-server$/);
const cpuOfThisProcess = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};
const cpuNow = () => ({ app: apps.reduce((sum, app) => sum + cpuSeconds(app.pid!), 0), db: dbPid ? cpuSeconds(dbPid) : NaN, redis: redisPid ? cpuSeconds(redisPid) : NaN, bench: cpuOfThisProcess(), machine: machineCpuSeconds() });
type CpuReading = ReturnType<typeof cpuNow>;
/** CPU milliseconds per complete call setup, by process (where the machine's two cores go), between two readings. */
const cpuPerSetupBetween = (before: CpuReading, after: CpuReading, setups: number) => (key: "app" | "db" | "redis" | "bench") => round(((after[key] - before[key]) * 1000) / Math.max(1, setups));
/** The share of the whole machine's CPU time that was busy between two readings. */
const machineBusyBetween = (before: CpuReading, after: CpuReading) => round((after.machine.busy - before.machine.busy) / (after.machine.total - before.machine.total), 2);
for (const level of LEVELS) {
  const cpuBefore = cpuNow();
  const result = await runCallers(baseUrl, level, SECONDS, smallPersonIds);
  const cpuAfter = cpuNow();
  const cpuPerSetup = cpuPerSetupBetween(cpuBefore, cpuAfter, result.setups);
  await new Promise((resolve) => setTimeout(resolve, 300)); // let the last pops land
  const pops = await agents.collect();
  const ceiling = await runCeiling(ceilingUrls, level, Math.min(SECONDS, 4));
  const row = { ...result, cpuMsPerSetup: { app: cpuPerSetup("app"), database: cpuPerSetup("db"), redis: cpuPerSetup("redis"), benchmark: cpuPerSetup("bench") }, machineBusyShare: machineBusyBetween(cpuBefore, cpuAfter), popP50: round(percentile(pops.latencies, 50)), popP99: round(percentile(pops.latencies, 99)), pops: pops.popsReceived, poppedShare: round(pops.latencies.length / Math.max(1, result.setups), 2), ceilingWebhooksPerSecond: ceiling.webhooksPerSecond, ratio: round(result.webhooksPerSecond / ceiling.webhooksPerSecond, 2) };
  rows.push(row);
  console.log(`concurrency ${level}: ${row.setupsPerSecond} call setups/s, ${row.webhooksPerSecond} webhooks/s, errors ${row.errors}, webhook p50/p95/p99 ${row.webhookP50}/${row.webhookP95}/${row.webhookP99} ms, screen-pop p50/p99 ${row.popP50}/${row.popP99} ms (${Math.round((row.poppedShare ?? 0) * 100)}% of calls popped), ceiling ${row.ceilingWebhooksPerSecond} webhooks/s (ratio ${row.ratio}); CPU ms per setup: app ${row.cpuMsPerSetup.app}, database ${row.cpuMsPerSetup.database}, Redis ${row.cpuMsPerSetup.redis}, benchmark ${row.cpuMsPerSetup.benchmark}; machine ${Math.round((row.machineBusyShare ?? 0) * 100)}% busy`);
}

type ScanRun = { state: string; tookMs: number | null; summary: Record<string, number> | null };
const scanRuns: { small?: ScanRun; large?: ScanRun } = {};
/**
 * Runs `measure` with a follow-up scan started with it. The scan (every five minutes) reads the desk's waiting tickets
 * and open complaints and its jobs run for a while after: started on purpose with both the small and the large
 * measurement, it weighs on both every time instead of on one of them by chance.
 */
async function withFollowUpScan<T>(label: "small" | "large", measure: () => Promise<T>): Promise<T> {
  const followUps = new Queue("follow-ups", { connection: { url: parseEnv({ REDIS_URL: process.env.REDIS_URL }).REDIS_URL }, prefix: REDIS_PREFIX });
  try {
    const scan = await followUps.add("follow-up-scan", {}, { jobId: `bench-${label}-scan-${Date.now()}` });
    const result = await measure();
    const scanned = await followUps.getJob(scan.id!);
    const run: ScanRun = {
      state: (await scanned?.getState()) ?? "unknown",
      tookMs: scanned?.finishedOn && scanned.processedOn ? scanned.finishedOn - scanned.processedOn : null,
      summary: (scanned?.returnvalue as Record<string, number> | undefined) ?? null,
    };
    scanRuns[label] = run;
    console.log(`  follow-up scan during the ${label} measurement: ${run.state}${run.tookMs === null ? "" : ` in ${run.tookMs} ms`}, ${JSON.stringify(run.summary)}`);
    return result;
  } finally {
    await followUps.close();
  }
}
const describeScan = (run: ScanRun | undefined) =>
  run ? `${run.state}${run.tookMs === null ? "" : `, ${run.tookMs} ms`}: ${Object.entries(run.summary ?? {}).map(([key, value]) => `${key} ${value}`).join(", ")}` : "none";

type MachineDuring = { machineBusyShare: number | null; appCpuMsPerSetup: number | null; databaseCpuMsPerSetup: number | null; innodbPagesWrittenPerSecond: number | null };
/**
 * Runs one of the large-set measurements and says what the machine did meanwhile: how busy it was, the CPU per call
 * setup of the app and the database, and the pages InnoDB wrote per second (its background flushing after the bulk
 * load competes with the commits' log writes for the disk).
 */
async function measuredWithMachine<R extends { setups: number }>(measure: () => Promise<R>): Promise<[R, MachineDuring]> {
  const pagesWritten = () => onServer(async (connection) => {
    const [[row]] = (await connection.query("SHOW GLOBAL STATUS LIKE 'Innodb_pages_written'")) as unknown as [[{ Value: string }]];
    return Number(row?.Value ?? NaN);
  });
  const [cpuBefore, pagesBefore, startedAt] = [cpuNow(), await pagesWritten(), performance.now()];
  const result = await measure();
  const [cpuAfter, pagesAfter, seconds] = [cpuNow(), await pagesWritten(), (performance.now() - startedAt) / 1000];
  const perSetup = cpuPerSetupBetween(cpuBefore, cpuAfter, result.setups);
  return [result, {
    machineBusyShare: machineBusyBetween(cpuBefore, cpuAfter),
    appCpuMsPerSetup: perSetup("app"),
    databaseCpuMsPerSetup: perSetup("db"),
    innodbPagesWrittenPerSecond: round((pagesAfter - pagesBefore) / seconds, 0),
  }];
}
const describeMachine = (during: MachineDuring) => `machine ${Math.round((during.machineBusyShare ?? 0) * 100)}% busy, CPU ms per setup app ${during.appCpuMsPerSetup} / database ${during.databaseCpuMsPerSetup}, InnoDB ${during.innodbPagesWrittenPerSecond} pages written/s`;

type ReadsAlone = { identificationUs: number; popUs: number };
/**
 * The identification and pop reads timed alone, in this process, one after the other, on the persons and calls of a
 * data set: what its size does to them, without the scheduling noise of a loaded two-core machine (a p50 of 10
 * callers moves by a third between runs of the same code). The fastest of three rounds, in µs per read.
 */
async function timeReadsAlone(personIds: number[]): Promise<ReadsAlone> {
  const dataSource = await openDatabase({ url: DATABASE_URL });
  try {
    const manager = dataSource.manager;
    const calendar = BusinessCalendar.fromEnv(parseEnv({}));
    const phones = Array.from({ length: 1000 }, (_, i) => phoneOf(personIds[Math.floor((i * personIds.length) / 1000)]!));
    const [first, last] = [Math.min(...personIds), Math.max(...personIds)];
    const callIds = ((await manager.query("SELECT id FROM calls WHERE personId BETWEEN ? AND ? ORDER BY id DESC LIMIT 200", [first, last])) as { id: number }[]).map((row) => Number(row.id));
    const fastestRound = async (reads: number, read: (index: number) => Promise<unknown>) => {
      let best = Infinity;
      for (let round = 0; round < 4; round++) {
        const started = performance.now();
        for (let index = 0; index < reads; index++) await read(index);
        if (round > 0) best = Math.min(best, ((performance.now() - started) * 1000) / reads); // round 0 warms up
      }
      return Math.round(best);
    };
    const identificationUs = await fastestRound(1000, (index) => readTogether(manager, [personsByPhoneRead(manager, phones[index]!), callerContractsRead(manager, phones[index]!)] as const));
    const popUs = callIds.length === 0 ? NaN : await fastestRound(1000, async (index) => {
      const call = await loadPopCall(manager, callIds[index % callIds.length]!);
      if (call) await completeScreenPopParts(manager, call, new Date(), { calendar });
    });
    return { identificationUs, popUs };
  } finally {
    await dataSource.destroy();
  }
}

/**
 * Windows of each side of the large-set comparison: a side's p50 is the median of its windows' p50s, so that one
 * burst of the machine's noise (the same code gave ×0.89 to ×1.88 from single windows) does not decide the verdict.
 */
const SIDE_WINDOWS = 3;
const median = (values: (number | null)[]) => round(percentile(values.filter((value): value is number => value !== null), 50));
type Side = { identificationP50s: (number | null)[]; popP50s: (number | null)[]; identificationP50: number | null; popP50: number | null; popP99: number | null; errors: number; machine: MachineDuring; readsAlone: ReadsAlone };
/** One side of the large-set comparison: SIDE_WINDOWS windows of 10 callers, a follow-up scan started with the first. */
async function measureSide(label: "small" | "large", personIds: number[]): Promise<Side> {
  const identificationP50s: (number | null)[] = [];
  const popP50s: (number | null)[] = [];
  const popLatencies: number[] = [];
  let errors = 0;
  const [, machine] = await measuredWithMachine(async () => {
    let setups = 0;
    for (let window = 0; window < SIDE_WINDOWS; window++) {
      const measure = () => runCallers(baseUrl, 10, SECONDS, personIds);
      const result = window === 0 ? await withFollowUpScan(label, measure) : await measure();
      await new Promise((resolve) => setTimeout(resolve, 300)); // the last pops land
      const pops = await agents.collect();
      identificationP50s.push(result.identificationP50);
      popP50s.push(round(percentile(pops.latencies, 50)));
      popLatencies.push(...pops.latencies);
      setups += result.setups;
      errors += result.errors;
    }
    return { setups };
  });
  const readsAlone = await timeReadsAlone(personIds);
  return { identificationP50s, popP50s, identificationP50: median(identificationP50s), popP50: median(popP50s), popP99: round(percentile(popLatencies, 99)), errors, machine, readsAlone };
}

const ratio = (before: number | null, after: number | null) => (before && after ? round(after / before, 2) : null);
let large: { persons: number; tickets: number; small: Side; large: Side; identificationRatio: number | null; popRatio: number | null } | null = null;
/** The large-set comparison in words (the console and the results file say the same). */
function describeLarge({ persons, tickets, small, large: big, identificationRatio, popRatio }: NonNullable<typeof large>): string {
  return `Large data set (${persons.toLocaleString("en")} reference persons, ${tickets.toLocaleString("en")} tickets, 10 concurrent callers, each side the median of ${SIDE_WINDOWS} windows of ${SECONDS} s): identification p50 ${small.identificationP50} → ${big.identificationP50} ms (×${identificationRatio}; windows ${small.identificationP50s.join(", ")} → ${big.identificationP50s.join(", ")}); screen-pop p50 ${small.popP50} → ${big.popP50} ms (×${popRatio}; windows ${small.popP50s.join(", ")} → ${big.popP50s.join(", ")}), p99 ${big.popP99} ms; errors ${small.errors + big.errors}. The same reads timed alone, one after the other (the caller ID's persons with their contracts; a pop's call, tickets and contracts): identification ${small.readsAlone.identificationUs} → ${big.readsAlone.identificationUs} µs (×${ratio(small.readsAlone.identificationUs, big.readsAlone.identificationUs)}), pop ${small.readsAlone.popUs} → ${big.readsAlone.popUs} µs (×${ratio(small.readsAlone.popUs, big.readsAlone.popUs)}). While each was measured: small, ${describeMachine(small.machine)}; large, ${describeMachine(big.machine)}. A follow-up scan was started with each measurement (small: ${describeScan(scanRuns.small)}; large: ${describeScan(scanRuns.large)}).`;
}
if (!SKIP_LARGE) {
  const small = await measureSide("small", smallPersonIds);
  console.log(`\ngenerating ${LARGE_PERSONS} reference persons and ${LARGE_TICKETS} tickets …`);
  const generated = await generateLargeDataSet(DATABASE_URL, LARGE_PERSONS - SMALL_PERSONS, LARGE_TICKETS, (line) => console.log(`  ${line}`));
  const largeIds = Array.from({ length: generated.persons }, (_, i) => generated.firstPersonId + i);
  await runCallers(baseUrl, 2, 2, largeIds); // warm-up
  await agents.collect();
  const big = await measureSide("large", largeIds);
  large = { persons: LARGE_PERSONS, tickets: LARGE_TICKETS + 20_000, small, large: big, identificationRatio: ratio(small.identificationP50, big.identificationP50), popRatio: ratio(small.popP50, big.popP50) };
  console.log(describeLarge(large));
}

const rssPerInstance = apps.map((app) => round(peakRssMb(app.pid!))!);
const rssMb = Math.max(...rssPerInstance);
await agents.close();
for (const app of apps) app.kill("SIGTERM");
for (const child of ceilingProcesses) child.kill("SIGTERM");
if (bufferPool.mb !== serverBufferPoolMb) await setBufferPool(serverBufferPoolMb);
console.log(`\npeak RSS per app instance: ${rssPerInstance.join(", ")} MB`);

// The best level is the fastest one without errors where (nearly) every call's pop reached the agents.
const counts = (row: (typeof rows)[number]) => row.errors === 0 && (row.poppedShare ?? 0) >= 0.95;
const best = rows.reduce((a, b) => (counts(b) && (!counts(a) || b.setupsPerSecond > a.setupsPerSecond) ? b : a), rows[0]!);
// Capacity as a desk would state it: the most call setups per second at which both latency targets still hold.
const withinLatency = rows.filter((row) => counts(row) && (row.webhookP99 ?? Infinity) <= 50 && (row.popP99 ?? Infinity) <= 100);
const capacity = withinLatency.length > 0 ? withinLatency.reduce((a, b) => (b.setupsPerSecond > a.setupsPerSecond ? b : a)) : null;
const capacityLine = capacity
  ? `Most call setups/s with webhook p99 ≤ 50 ms and screen-pop p99 ≤ 100 ms: ${capacity.setupsPerSecond}/s at concurrency ${capacity.concurrency} (webhook p99 ${capacity.webhookP99} ms, screen-pop p99 ${capacity.popP99} ms).`
  : "No level met both latency targets.";
const verdicts = [
  [`≥ 100 complete call setups/s with 0 errors`, best.setupsPerSecond >= 100 && best.errors === 0, `${best.setupsPerSecond}/s at concurrency ${best.concurrency}`],
  [`webhook p99 ≤ 50 ms`, (best.webhookP99 ?? Infinity) <= 50, `${best.webhookP99} ms`],
  [`screen-pop p99 ≤ 100 ms with ${AGENTS} agent sockets`, (best.popP99 ?? Infinity) <= 100, `${best.popP99} ms`],
  [`≥ 0.4× the ceiling`, (best.ratio ?? 0) >= 0.4, `${best.ratio}×`],
  [`RSS ≤ 300 MB per instance`, rssMb <= 300, `${rssPerInstance.join(" + ")} MB`],
  ...(large ? [[`identification within 1.5× on the large data set`, (large.identificationRatio ?? Infinity) <= 1.5, `×${large.identificationRatio}`], [`screen-pop within 1.5× on the large data set`, (large.popRatio ?? Infinity) <= 1.5, `×${large.popRatio}`]] : []),
] as [string, boolean, string][];
console.log("");
for (const [target, pass, value] of verdicts) console.log(`${pass ? "PASS" : "FAIL"}  ${target}: ${value}`);

console.log(capacityLine);
const results = { at: new Date().toISOString(), machine, capacityWithinLatencyTargets: capacity ? { concurrency: capacity.concurrency, setupsPerSecond: capacity.setupsPerSecond } : null, settings: { bufferPoolMb: bufferPool.mb, serverBufferPoolMb: bufferPool.serverMb, levels: LEVELS, seconds: SECONDS, warmupSeconds: WARMUP_SECONDS, holdMs: HOLD_MS, agents: AGENTS, availableAgents: AVAILABLE_AGENTS, instances: INSTANCES, database: "MariaDB" }, rows, large, followUpScans: scanRuns, peakRssMb: rssMb, peakRssPerInstanceMb: rssPerInstance, verdicts: verdicts.map(([target, pass, value]) => ({ target, pass, value })) };
const dir = path.join(projectRoot, "bench/results");
fs.mkdirSync(dir, { recursive: true });
fs.writeFileSync(path.join(dir, "latest.json"), JSON.stringify(results, null, 2) + "\n");
const markdown = [
  `Measured ${results.at.slice(0, 16).replace("T", " ")} UTC after ${WARMUP_SECONDS} s of warm-up load, on ${machine.cores} × ${machine.cpu}, ${machine.memoryGb} GiB, Node ${machine.node}, MariaDB (InnoDB buffer pool ${bufferPool.mb} MiB${bufferPool.mb === bufferPool.serverMb ? "" : `, set for the run; the server's own is ${bufferPool.serverMb} MiB`}) + Redis on the same machine; ${INSTANCES > 1 ? `${INSTANCES} app instances behind a round-robin (ceiling: as many bare Express processes)` : "one app process"}; ${AGENTS} agent sockets connected (${AVAILABLE_AGENTS} available).`,
  "",
  "| concurrent callers | call setups/s | webhooks/s | errors | webhook p50 / p95 / p99 ms | screen-pop p50 / p99 ms | calls popped | ceiling webhooks/s | ratio | CPU ms per setup: app / database / Redis / benchmark | machine busy |",
  "|---|---|---|---|---|---|---|---|---|---|---|",
  ...rows.map((r) => `| ${r.concurrency} | ${r.setupsPerSecond} | ${r.webhooksPerSecond} | ${r.errors} | ${r.webhookP50} / ${r.webhookP95} / ${r.webhookP99} | ${r.popP50} / ${r.popP99} | ${Math.round((r.poppedShare ?? 0) * 100)}% | ${r.ceilingWebhooksPerSecond} | ${r.ratio} | ${r.cpuMsPerSetup.app} / ${r.cpuMsPerSetup.database} / ${r.cpuMsPerSetup.redis} / ${r.cpuMsPerSetup.benchmark} | ${Math.round((r.machineBusyShare ?? 0) * 100)}% |`),
  "",
  large ? describeLarge(large) : "Large data set: skipped.",
  "",
  `Peak RSS per app instance: ${rssPerInstance.join(", ")} MB.`,
  "",
  capacityLine,
  "",
  ...verdicts.map(([target, pass, value]) => `- ${pass ? "PASS" : "FAIL"} ${target}: ${value}`),
].join("\n");
fs.writeFileSync(path.join(dir, "latest.md"), markdown + "\n");
const readmePath = path.join(projectRoot, "README.md");
const readme = fs.readFileSync(readmePath, "utf8");
if (readme.includes("<!-- bench:start -->")) {
  fs.writeFileSync(readmePath, readme.replace(/<!-- bench:start -->[\s\S]*<!-- bench:end -->/, `<!-- bench:start -->\n${markdown}\n<!-- bench:end -->`));
}
process.exit(0);
