import { expect } from "chai";
import { testDatabaseKind } from "../support/database.js";
import { AppProcess } from "./support/app-process.js";
import { DESK, describeCallers, heardValidTwiml, placeCall, resultOf, twilioFor } from "./support/callers.js";
import { callers, deleteKeys, sharedDatabase, uniquePrefix, type SharedDatabase } from "./support/desk.js";
import { LoadBalancer } from "./support/load-balancer.js";
import { TcpProxy } from "./support/tcp-proxy.js";
import { freePort, waitFor } from "../support/wait.js";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
/** Twilio gives up on a webhook after 15 s (the caller hears silence meanwhile): the fallback must come before. */
const TWILIO_TIMEOUT_MS = 15_000;

describe("an app process whose MariaDB becomes unreachable (MariaDB only: an embedded SQLite file cannot become unreachable)", function () {
  this.timeout(90_000);
  let db: SharedDatabase;
  let proxy: TcpProxy;
  let app: AppProcess | undefined;
  let balancer: LoadBalancer;
  let prefix: string;
  let phones: string[];

  before(async function () {
    if (testDatabaseKind !== "mysql") return this.skip();
    db = await sharedDatabase();
    const url = new URL(db.url!);
    proxy = await new TcpProxy({ host: url.hostname, port: Number(url.port || 3306) }).start();
    url.host = `127.0.0.1:${proxy.port}`;
    prefix = uniquePrefix("dbdown");
    const port = await freePort();
    // A balancer with one instance behind it, to time every webhook as Twilio would.
    balancer = await new LoadBalancer([{ name: "app", port }]).start();
    app = await AppProcess.start("app", port, { DATABASE_URL: url.toString(), REDIS_URL, REDIS_PREFIX: prefix, PUBLIC_BASE_URL: balancer.url });
    phones = (await callers(db.dataSource, 3)).map((caller) => caller.phone);
  });
  afterEach(async function () {
    if (this.currentTest?.state === "failed") console.log(app?.tail(10));
    await proxy?.restore();
  });
  after(async () => {
    await app?.stop();
    await balancer?.close();
    await proxy?.close();
    await deleteKeys(REDIS_URL, prefix);
    await db?.close();
  });

  /** Three callers at once while the database is away: each hears the apology and waits in the general queue, in time. */
  async function callersHearTheFallback(whileAway: () => Promise<void>): Promise<void> {
    const sim = twilioFor(balancer.url);
    const from = balancer.log.length;
    const calls = await Promise.all(phones.map((phone) => sim.start({ from: phone, to: DESK })));
    const slowest = Math.max(...balancer.log.slice(from).map((entry) => entry.ms));
    for (const call of calls) {
      expect(call.queue?.name, call.outcome).to.equal("desk-general");
      expect(resultOf(call).fallback).to.equal(true);
    }
    expect(slowest, "the slowest webhook (ms)").to.be.below(TWILIO_TIMEOUT_MS - 2000);
    await whileAway();
    // They hang up (queue exit, status callback): valid TwiML all along.
    for (const call of calls) {
      await sim.hangup(call);
      expect(heardValidTwiml(resultOf(call)), describeCallers([resultOf(call)])).to.equal(true);
    }
  }

  /** Once the database is back, a caller gets a ticket again (the pool reconnects on its own). */
  async function ticketsAgain(): Promise<void> {
    const sim = twilioFor(balancer.url);
    await waitFor(async () => (await placeCall(sim, phones[0]!)).ticketNumber, 20_000, "a ticket after the database came back", 500);
  }

  it("answers every webhook with the apology and the general queue while the database refuses connections, and serves tickets again once it is back", async () => {
    expect((await placeCall(twilioFor(balancer.url), phones[0]!)).ticketNumber).to.match(/^\d{4}-\d{6}$/);
    await proxy.refuse();
    await callersHearTheFallback(async () => undefined);
    await proxy.restore();
    await ticketsAgain();
    expect(app!.alive).to.equal(true);
  });

  it("answers in time with the apology when the database stops answering, and serves tickets again once it answers", async () => {
    // The pool holds open connections now: they stall mid-query, new ones mid-handshake.
    expect((await placeCall(twilioFor(balancer.url), phones[0]!)).ticketNumber).to.match(/^\d{4}-\d{6}$/);
    proxy.stall();
    // The database answers again before they hang up (each further webhook would wait out the deadline too).
    await callersHearTheFallback(() => proxy.restore());
    await ticketsAgain();
    expect(app!.alive).to.equal(true);
  });
});
