import { expect } from "chai";
import { In } from "typeorm";
import { Agent } from "../../entities/Agent.js";
import { Call } from "../../entities/Call.js";
import { TicketEvent } from "../../entities/TicketEvent.js";
import { collect, connectSocket, eventually, type ClientSocket } from "../routes/console/helpers.js";
import { DESK, describeCallers, heardValidTwiml, runLoad, twilioFor, type CallerResult } from "./support/callers.js";
import { startCluster, type Cluster } from "./support/cluster.js";
import { availableAgent, callers, sharedDatabase, uniquePrefix, type SharedDatabase } from "./support/desk.js";
import { ticketLedger, unpublishedOutbox } from "./support/ledger.js";
import { PrivateRedis } from "../support/private-redis.js";
import { freePort, waitFor } from "../support/wait.js";

const CALLERS = 10;
/** Calls finished before Redis is stopped, while it is down, and after it is back. */
const CALLS_BEFORE = 8;
const CALLS_DURING = 10;
const CALLS_AFTER = 10;
/** Redis stays down at least this long: longer than the app's command retries (3 reconnect attempts). */
const MIN_OUTAGE_MS = 2500;
/** BullMQ's lock duration plus its stalled-job check interval (30 s each, the defaults), and a margin. */
const STALLED_JOB_RECOVERY_MS = 75_000;

type Phase = "before" | "down" | "after";

describe("Redis restarted under load (a private redis-server for two app processes)", function () {
  // The load and outage (~10 s on a quiet machine, up to a minute on a busy one), the drain, and the jobs handed back.
  this.timeout(60_000 + 30_000 + STALLED_JOB_RECOVERY_MS);
  let db: SharedDatabase;
  let redis: PrivateRedis;
  let cluster: Cluster | undefined;
  const prefix = uniquePrefix("redis");
  const sockets: ClientSocket[] = [];

  before(async () => {
    db = await sharedDatabase();
    redis = new PrivateRedis(await freePort());
    await redis.start();
    cluster = await startCluster(db, { REDIS_URL: redis.url, REDIS_PREFIX: prefix });
  });
  afterEach(function () {
    if (this.currentTest?.state === "failed" || process.env.SCALE_LOGS_ALWAYS) console.log(cluster?.logs());
  });
  after(async () => {
    for (const socket of sockets.splice(0)) socket.close();
    await cluster?.stop();
    await redis?.destroy(); // its keys go with it
    await db?.close();
  });

  it("keeps callers hearing valid TwiML while Redis is down; afterwards pops and jobs resume and the outbox drains", async () => {
    const { a, b, balancer } = cluster!;
    const people = await callers(db.dataSource, CALLERS + 1);
    const latecomer = people.pop()!;
    // Logged in before the outage (login counts attempts in Redis); the console stays connected to B throughout.
    const els = await availableAgent(db.dataSource, b.url, "Els", ["en"], balancer.url);
    const socket = await connectSocket(b.url, els.cookie);
    sockets.push(socket);
    const pops = collect(socket, "screenpop:show");
    let popsBeforeRestart = 0;
    const popsAfterRestart = () => pops.length - popsBeforeRestart;

    const sim = twilioFor(balancer.url);
    const phaseOf = new Map<CallerResult, Phase>();
    let phase: Phase = "before";
    let finished = 0;
    const finishedIn: Record<Phase, number> = { before: 0, down: 0, after: 0 };
    const began = Date.now();
    let outageMs = 0;
    let downAt = 0;

    // Complaints: each ticket enqueues a follow-up job (the supervisors' alert), so jobs are seen to run.
    const load = runLoad({
      sim,
      phones: people.map((person) => person.phone),
      digit: "4",
      keepGoing: () => !(phase === "after" && finishedIn.after >= CALLS_AFTER),
      onCall: (count, result) => {
        finished = count;
        finishedIn[phase]++;
        phaseOf.set(result, phase);
      },
    });
    await waitFor(async () => finished >= CALLS_BEFORE, 60_000, "calls before the outage");
    await redis.shutdown();
    downAt = Date.now();
    phase = "down";
    await waitFor(async () => finishedIn.down >= CALLS_DURING && Date.now() - downAt >= MIN_OUTAGE_MS, 60_000, "calls during the outage");
    await redis.start();
    popsBeforeRestart = pops.length;
    outageMs = Date.now() - downAt;
    phase = "after";
    const results = await load;

    // Both instances lived through it, and every caller heard valid TwiML and a ticket number.
    expect([a.ending, b.ending]).to.deep.equal([null, null]);
    const invalid = results.filter((result) => !heardValidTwiml(result));
    expect(invalid, `callers without valid TwiML:\n${describeCallers(invalid)}`).to.be.empty;
    const withoutTicket = results.filter((result) => !result.ticketNumber);
    const slow = balancer.log.filter((entry) => entry.ms > 1000).map((entry) => `${entry.backend} ${entry.path} ${Math.round(entry.ms)} ms at +${Math.round(entry.at - began)} ms`);
    expect(withoutTicket, `callers who heard no ticket number (outage from +${downAt - began} ms for ${outageMs} ms; slow webhooks: ${slow.join("; ")}):\n${describeCallers(withoutTicket)}`).to.be.empty;
    const ledger = await ticketLedger(db.dataSource, results);
    expect(ledger.duplicates).to.be.empty;
    expect(ledger.lost).to.be.empty;
    expect(ledger.tickets).to.have.length(results.length);

    // Pops resume: a new call arriving on A pops on Els's console on B (through the restarted Redis).
    const latecomerAt = Date.now();
    const call = await sim.start({ from: latecomer.phone, to: DESK });
    expect(balancer.servedBy(call.callSid)).to.deep.equal(["A"]);
    const row = await db.dataSource.getRepository(Call).findOneByOrFail({ callSid: call.callSid });
    await eventually(() => pops.find((pop) => pop.callId === row.id), 15_000, "the pop of a call after the restart").catch(async (error: Error) => {
      const agent = await db.dataSource.getRepository(Agent).findOneByOrFail({ id: els.row.id });
      const fresh = await db.dataSource.getRepository(Call).findOneByOrFail({ id: row.id });
      const offer = await redis.offerOf(prefix, row.id);
      throw new Error(
        `${error.message}: Redis down at ${downAt} for ${outageMs} ms (log times are epoch ms), load ended at ${latecomerAt}, ` +
          `offer recorded in Redis ${JSON.stringify(offer)}, ${popsAfterRestart()} pops after the restart, ` +
        `socket connected ${socket.connected}, ${pops.length} pops seen (last for call ${pops.at(-1)?.callId}), Els ${agent.status}, ` +
          `call ${fresh.outcome}/${fresh.ivrStep} person ${fresh.personId}, ${await unpublishedOutbox(db.dataSource)} unpublished outbox rows, ` +
          `Redis subscribers ${JSON.stringify(await redis.subscribers())} (2 of each expected)`,
      );
    });
    const latecomerPopMs = Date.now() - latecomerAt;
    await sim.hangup(call);

    // The outbox drains: what could not be published while Redis was down is published now.
    await waitFor(async () => (await unpublishedOutbox(db.dataSource)) === 0, 30_000, "the outbox to drain", 200);
    // Jobs resume: every complaint, including those opened during the outage, got its follow-up job run exactly once.
    // A job that was running when Redis went away is handed back by BullMQ's stalled-job check: its lock (30 s,
    // kept by Redis's append-only file) must expire first and the check runs every 30 s, so that can take a minute.
    const ticketIds = ledger.tickets.map((ticket) => ticket.id);
    const followUps = async () => db.dataSource.getRepository(TicketEvent).findBy({ ticketId: In(ticketIds), type: "complaint_follow_up_requested" });
    await waitFor(async () => (await followUps()).length >= ticketIds.length, STALLED_JOB_RECOVERY_MS, "a follow-up job for every complaint", 200);
    const events = await followUps();
    expect(new Set(events.map((event) => event.ticketId)).size).to.equal(ticketIds.length);
    expect(events).to.have.length(ticketIds.length);

    const during = results.filter((result) => phaseOf.get(result) === "down").length;
    const slowest = Math.max(...balancer.log.map((entry) => entry.ms));
    console.log(
      `      figures: ${results.length} calls by ${CALLERS} concurrent callers (${finishedIn.before} before, ${during} during a ${(outageMs / 1000).toFixed(1)} s Redis outage, ` +
        `${finishedIn.after} after), ${ledger.tickets.length} complaint tickets, ${events.length} follow-up jobs run, 0 fallbacks, the pop of a call after the restart in ${latecomerPopMs} ms, ${pops.length} pops (${popsAfterRestart()} after the restart), ${balancer.log.length} webhooks all 200 (slowest ${Math.round(slowest)} ms), ` +
        `${((Date.now() - began) / 1000).toFixed(1)} s`,
    );
  });
});
