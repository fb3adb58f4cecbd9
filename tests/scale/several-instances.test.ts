import { expect } from "chai";
import { Redis } from "ioredis";
import { Call } from "../../entities/Call.js";
import { Ticket } from "../../entities/Ticket.js";
import { RedisQueueRegistry, simulatedRedirects, waitForRedirect } from "../../server/twilio/simulator.js";
import { RedisSoftphoneBus } from "../../server/twilio/softphone-bus.js";
import { TestSoftphone } from "../support/softphone.js";
import { callParams, newCallSid, signedPost } from "../ivr/fixtures.js";
import { api, collect, connectSocket, eventually, type ClientSocket } from "../routes/console/helpers.js";
import type { AppProcess } from "./support/app-process.js";
import { DESK, describeCallers, heardValidTwiml, placeCall, twilioFor } from "./support/callers.js";
import { availableAgent, callers, deleteKeys, sharedDatabase, uniquePrefix, type SharedDatabase } from "./support/desk.js";
import { startCluster, type Cluster } from "./support/cluster.js";
import type { LoadBalancer } from "./support/load-balancer.js";
import { waitFor } from "../support/wait.js";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

describe("two app instances as real processes behind one public address (same database, same Redis prefix)", function () {
  this.timeout(60_000);
  let db: SharedDatabase;
  let cluster: Cluster | undefined;
  let a: AppProcess;
  let b: AppProcess;
  let balancer: LoadBalancer;
  let prefix: string;
  let redis: Redis;
  const sockets: ClientSocket[] = [];

  before(async () => {
    db = await sharedDatabase();
    prefix = uniquePrefix("pair");
    redis = new Redis(REDIS_URL);
    cluster = await startCluster(db, { REDIS_URL, REDIS_PREFIX: prefix });
    ({ a, b, balancer } = cluster);
  });
  afterEach(function () {
    for (const socket of sockets.splice(0)) socket.close();
    if (this.currentTest?.state === "failed") console.log(cluster?.logs());
  });
  after(async () => {
    await cluster?.stop();
    await deleteKeys(REDIS_URL, prefix);
    redis?.disconnect();
    await db?.close();
  });

  async function online(url: string, cookie: string): Promise<ClientSocket> {
    const socket = await connectSocket(url, cookie);
    sockets.push(socket);
    return socket;
  }

  it("checks webhook signatures against the shared public URL, not the instance's own address", async () => {
    const params = callParams(newCallSid(), "+32470000001");
    const signedForInstance = await signedPost(`${a.url}/twilio/voice`, params);
    expect(signedForInstance.status).to.equal(403);
    const signedForPublicUrl = await signedPost(`${a.url}/twilio/voice`, params, { signUrl: `${balancer.url}/twilio/voice` });
    expect(signedForPublicUrl.status).to.equal(200);
  });

  it("serves each call's successive webhooks alternately from A and B, and opens one ticket per call", async () => {
    const people = await callers(db.dataSource, 3);
    const sim = twilioFor(balancer.url);
    const results = await Promise.all(people.map(({ phone }) => placeCall(sim, phone)));

    const failed = results.filter((result) => !heardValidTwiml(result) || !result.ticketNumber || result.fallback);
    expect(failed, describeCallers(failed)).to.be.empty;
    for (const result of results) {
      const servedBy = balancer.servedBy(result.callSid!);
      // Voice URL, contact-type answer, queue announcements, queue exit, status callback: A, B, A, B, A.
      expect(servedBy.length).to.be.at.least(5);
      expect(servedBy).to.deep.equal(servedBy.map((_, index) => (index % 2 === 0 ? "A" : "B")));
      // Every URL Twilio was sent to (TwiML actions of both instances) is the public one.
      expect(result.urls.every((url) => url.startsWith(`${balancer.url}/twilio/`)), result.urls.join(" ")).to.equal(true);

      const call = await db.dataSource.getRepository(Call).findOneByOrFail({ callSid: result.callSid! });
      const tickets = await db.dataSource.getRepository(Ticket).findBy({ sourceCallId: call.id });
      expect(tickets.map((ticket) => ticket.number)).to.deep.equal([result.ticketNumber]);
      expect(call.endedAt).to.be.instanceOf(Date);
    }
    expect(balancer.retries).to.equal(0);
  });

  it("pops on an agent connected to instance B the call that arrives on instance A", async () => {
    const [caller] = await callers(db.dataSource, 1);
    const jan = await availableAgent(db.dataSource, b.url, "Jan", ["en"], balancer.url);
    const socket = await online(b.url, jan.cookie);
    const pops = collect(socket, "screenpop:show");
    const closes = collect(socket, "screenpop:close");

    const sim = twilioFor(balancer.url);
    const call = await sim.start({ from: caller!.phone, to: DESK });
    // The Voice URL (identification) was served by A alone; Jan's socket lives in B.
    expect(balancer.servedBy(call.callSid)).to.deep.equal(["A"]);
    const row = await db.dataSource.getRepository(Call).findOneByOrFail({ callSid: call.callSid });
    const pop = await eventually(() => pops.find((candidate) => candidate.callId === row.id), 5000, "the pop on instance B");
    expect(pop.caller!.id).to.equal(caller!.person.id);
    expect(pop.language).to.equal("en");

    await sim.hangup(call);
    expect(await eventually(() => closes.find((close) => close.callId === row.id), 5000, "the pop to close")).to.deep.equal({ callId: row.id, reason: "ended", acceptedBy: null });
  });

  it("gives a waiting call accepted at the same moment on A and on B to exactly one agent, and redirects the caller once", async () => {
    // Its queues where the app's simulated REST client looks (Redis, same prefix): it dequeues only a member, as Twilio does.
    // Its softphones there too: the winner's console (on A or B) gets the ring through Redis and answers it.
    const sim = twilioFor(balancer.url, new RedisQueueRegistry(redis, prefix), new RedisSoftphoneBus(redis, prefix));
    const people = await callers(db.dataSource, 3);
    for (const [round, caller] of people.entries()) {
      const els = await availableAgent(db.dataSource, a.url, `Els ${round}`, ["en"], balancer.url);
      const jan = await availableAgent(db.dataSource, b.url, `Jan ${round}`, ["en"], balancer.url);
      const [elsSocket, janSocket] = [await online(a.url, els.cookie), await online(b.url, jan.cookie)];
      const [elsPops, janPops] = [collect(elsSocket, "screenpop:show"), collect(janSocket, "screenpop:show")];
      const [elsCloses, janCloses] = [collect(elsSocket, "screenpop:close"), collect(janSocket, "screenpop:close")];
      const phones = new Map<number, TestSoftphone>();
      for (const [agent, socket] of [[els, elsSocket], [jan, janSocket]] as const) {
        const registered = await socket.timeout(5000).emitWithAck("softphone:register");
        if ("error" in registered) throw new Error(registered.error);
        phones.set(agent.row.id, new TestSoftphone(socket, registered.identity));
      }

      const call = await sim.start({ from: caller.phone, to: DESK });
      await sim.press(call, "1");
      expect(call.status, call.outcome).to.equal("queue");
      const row = await db.dataSource.getRepository(Call).findOneByOrFail({ callSid: call.callSid });
      await eventually(() => elsPops.some((pop) => pop.callId === row.id && pop.ticket) && janPops.some((pop) => pop.callId === row.id && pop.ticket), 5000, "both pops");

      const answers = await Promise.all([
        api(a.url, els.cookie, "POST", `/api/calls/${row.id}/accept`, undefined, balancer.url),
        api(b.url, jan.cookie, "POST", `/api/calls/${row.id}/accept`, undefined, balancer.url),
      ]);
      expect(answers.map((answer) => answer.status).sort(), JSON.stringify(answers)).to.deep.equal([200, 409]);
      const [winner, loserCloses] = answers[0]!.status === 200 ? [els, janCloses] : [jan, elsCloses];
      expect((await db.dataSource.getRepository(Call).findOneByOrFail({ id: row.id })).acceptedByAgentId).to.equal(winner.row.id);
      const close = await eventually(() => loserCloses.find((candidate) => candidate.callId === row.id), 5000, "the loser's pop to close");
      expect(close).to.deep.equal({ callId: row.id, reason: "accepted", acceptedBy: { id: winner.row.id, name: winner.row.name } });

      // The simulated Twilio REST API got exactly one redirect of this caller: to the winner, through the public URL.
      const url = await waitForRedirect(redis, prefix, call.callSid, 5000);
      expect(url).to.equal(`${balancer.url}/twilio/connect-agent?agentId=${winner.row.id}`);
      expect(await simulatedRedirects(redis, prefix, call.callSid)).to.have.length(1);
      await sim.redirect(call, url!);
      expect(call.dial?.to).to.equal(`client:agent-${winner.row.id}`);
      await phones.get(winner.row.id)!.pickUp(sim, call);
      expect(call.connectedTo).to.equal(`client:agent-${winner.row.id}`);
      await sim.hangup(call);
      await waitFor(async () => (await db.dataSource.getRepository(Call).findOneByOrFail({ id: row.id })).endedAt, 5000, "the call to end");
      for (const socket of sockets.splice(0)) socket.close();
    }
  });
});
