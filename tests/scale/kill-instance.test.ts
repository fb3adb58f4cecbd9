import { expect } from "chai";
import { describeCallers, heardValidTwiml, runLoad, twilioFor, type CallerResult } from "./support/callers.js";
import { startCluster, type Cluster } from "./support/cluster.js";
import { callers, deleteKeys, sharedDatabase, uniquePrefix, type SharedDatabase } from "./support/desk.js";
import { ticketLedger, unpublishedOutbox } from "./support/ledger.js";
import { waitFor } from "../support/wait.js";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const CALLERS = 10;
const TOTAL_CALLS = 60;
/** Calls finished before instance A is killed (while it is answering webhooks). */
const KILL_AFTER = 15;

describe("kill -9 of one of two app processes under load", function () {
  this.timeout(90_000);
  let db: SharedDatabase;
  let cluster: Cluster | undefined;
  let prefix: string;

  before(async () => {
    db = await sharedDatabase();
    prefix = uniquePrefix("kill");
    cluster = await startCluster(db, { REDIS_URL, REDIS_PREFIX: prefix });
  });
  afterEach(function () {
    if (this.currentTest?.state === "failed") console.log(cluster?.logs());
  });
  after(async () => {
    await cluster?.stop();
    await deleteKeys(REDIS_URL, prefix);
    await db?.close();
  });

  it("loses no ticket and duplicates none: Twilio's retry reaches the survivor and every caller hears valid TwiML", async () => {
    const { a, b, balancer } = cluster!;
    const people = await callers(db.dataSource, CALLERS);
    const sim = twilioFor(balancer.url);
    const began = Date.now();
    let finished = 0;
    let cutMidRequest = 0;
    let killedAfter = 0;

    const load = runLoad({ sim, phones: people.map((person) => person.phone), keepGoing: (started) => started < TOTAL_CALLS, onCall: (count) => (finished = count) });
    // kill -9 while A is in the middle of answering webhooks, so some are cut off mid-request.
    await waitFor(async () => finished >= KILL_AFTER && balancer.pending("A") > 0, 60_000, "instance A busy under load", 2);
    cutMidRequest = balancer.pending("A");
    await a.kill();
    killedAfter = finished;
    const results: CallerResult[] = await load;
    const seconds = (Date.now() - began) / 1000;

    expect(a.ending).to.equal("SIGKILL");
    expect(b.alive, "instance B survived").to.equal(true);
    expect(results).to.have.length(TOTAL_CALLS);
    const invalid = results.filter((result) => !heardValidTwiml(result));
    expect(invalid, `callers without valid TwiML:\n${describeCallers(invalid)}`).to.be.empty;
    const withoutTicket = results.filter((result) => !result.ticketNumber);
    expect(withoutTicket, `callers who heard no ticket number:\n${describeCallers(withoutTicket)}`).to.be.empty;
    // Twilio's retries went to B: the requests A refused or dropped were answered there.
    expect(balancer.retries).to.be.greaterThan(0);
    expect(balancer.log.filter((entry) => entry.failedOn.includes("A")).every((entry) => entry.backend === "B" && entry.status === 200)).to.equal(true);

    const ledger = await ticketLedger(db.dataSource, results);
    expect(ledger.doubledCalls, "CallSids stored twice").to.be.empty;
    expect(ledger.duplicates, "calls with more than one ticket").to.be.empty;
    expect(ledger.lost, `callers whose ticket is not stored:\n${describeCallers(ledger.lost)}`).to.be.empty;
    expect(ledger.calls).to.have.length(TOTAL_CALLS);
    expect(ledger.tickets).to.have.length(TOTAL_CALLS);
    expect(new Set(ledger.tickets.map((ticket) => ticket.number)).size).to.equal(TOTAL_CALLS);
    // What A committed but never published is published by B's drainer.
    await waitFor(async () => (await unpublishedOutbox(db.dataSource)) === 0, 20_000, "the outbox to drain on the survivor");

    console.log(
      `      figures: ${TOTAL_CALLS} calls by ${CALLERS} concurrent callers, ${ledger.tickets.length} tickets (0 duplicated, 0 lost), ` +
        `A killed after ${killedAfter} calls with ${cutMidRequest} webhook(s) in flight, ${balancer.retries} webhook(s) retried on B, ` +
        `${balancer.log.length} webhooks in ${seconds.toFixed(1)} s`,
    );
  });
});
