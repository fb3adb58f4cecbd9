import { expect } from "chai";
import { Call } from "../../entities/Call.js";
import type { Language } from "../../entities/enums.js";
import { findAll, parseTwiml, RedisQueueRegistry, waitForRedirect } from "../../server/twilio/simulator.js";
import { callParams, DESK, newCallSid, OPEN_NOW, signedPost, simulatorFor } from "../ivr/fixtures.js";
import { fixtures } from "../support/fixtures.js";
import { api, collect, connectSocket, eventually, identifiedCall, login, realtimeTestBed } from "../routes/console/helpers.js";

describe("callers in the general fallback queue (desk-general) pop and can be taken (issue 16)", () => {
  const bed = realtimeTestBed();
  beforeEach(() => {
    bed.server.context.now = () => OPEN_NOW;
  });

  async function online(name: string, languages: Language[]) {
    const row = await fixtures(bed.server.context.dataSource).agent({ name, languages });
    const cookie = await login(bed.server.url, row.email);
    await api(bed.server.url, cookie, "PUT", "/api/me/status", { status: "available" });
    const socket = await connectSocket(bed.server.url, cookie);
    bed.sockets.push(socket);
    return { row, cookie, pops: collect(socket, "screenpop:show") };
  }

  /** What Twilio does after the Voice Fallback URL (the app failed): enqueue in desk-general, then ask its wait URL. */
  async function sentToGeneralQueue(callSid: string, from: string) {
    const fallback = parseTwiml((await signedPost(`${bed.server.url}/twilio/fallback`, callParams(callSid, from))).body);
    const enqueue = findAll(fallback, "Enqueue")[0]!;
    expect(enqueue.text).to.equal("desk-general");
    expect(enqueue.attrs.waitUrl).to.equal(`${bed.server.url}/twilio/queue/wait?cb=0&q=general`);
    await new RedisQueueRegistry(bed.server.context.redis, bed.server.context.env.REDIS_PREFIX).join("desk-general", callSid, Date.now());
    return enqueue.attrs.waitUrl!;
  }

  it("records a caller the desk never saw once their wait URL is asked, pops them (identified by caller ID) and dequeues them from desk-general on accept", async () => {
    const els = await online("Els", ["nl"]);
    const callSid = newCallSid();
    const phone = bed.world.person.phoneNumbers?.[0]?.e164 ?? "+32470123456";
    const waitUrl = await sentToGeneralQueue(callSid, phone);
    const wait = await signedPost(waitUrl, callParams(callSid, phone, { QueuePosition: "1", CurrentQueueSize: "1", QueueTime: "5" }));
    expect(wait.status).to.equal(200);
    expect(findAll(parseTwiml(wait.body), "Gather")).to.have.length(1);

    const call = await bed.server.context.dataSource.getRepository(Call).findOneByOrFail({ callSid });
    expect(call).to.include({ outcome: "queued", queueName: "desk-general", personId: bed.world.person.id, language: "nl", direction: "inbound" });
    const pop = await eventually(() => els.pops.find((candidate) => candidate.callId === call.id), 3000, "the pop");
    expect(pop).to.include({ stage: "queued" });
    expect(pop.caller).to.include({ id: bed.world.person.id });

    // The wait URL is asked again while the caller waits: nothing more is recorded.
    await signedPost(waitUrl, callParams(callSid, phone, { QueuePosition: "1", CurrentQueueSize: "1", QueueTime: "60" }));
    const joined = await bed.server.context.dataSource.query(`SELECT id FROM call_events WHERE callId = ? AND type = 'general_queue_joined'`, [call.id]);
    expect(joined).to.have.length(1);

    const redirect = waitForRedirect(bed.server.context.redis, bed.server.context.env.REDIS_PREFIX, callSid, 3000);
    expect((await api(bed.server.url, els.cookie, "POST", `/api/calls/${call.id}/accept`)).status).to.equal(200);
    expect(await redirect).to.equal(`${bed.server.url}/twilio/connect-agent?agentId=${els.row.id}`);
  });

  it("offers an unknown caller of desk-general to every available agent", async () => {
    const els = await online("Els", ["nl"]);
    const jean = await online("Jean", ["fr"]);
    const callSid = newCallSid();
    const waitUrl = await sentToGeneralQueue(callSid, "anonymous");
    await signedPost(waitUrl, callParams(callSid, "anonymous", { QueuePosition: "1", CurrentQueueSize: "1" }));
    const call = await bed.server.context.dataSource.getRepository(Call).findOneByOrFail({ callSid });
    const [atEls, atJean] = await eventually(() => {
      const found = [els.pops.find((pop) => pop.callId === call.id), jean.pops.find((pop) => pop.callId === call.id)];
      return found.every(Boolean) ? found : null;
    }, 3000, "both pops");
    expect(atEls!.caller).to.equal(null);
    expect(atJean!.stage).to.equal("queued");
    expect((await api(bed.server.url, jean.cookie, "POST", `/api/calls/${call.id}/accept`)).status).to.equal(200);
  });

  it("moves a caller the desk knew in the menu to desk-general when Twilio fell back mid-call, and pops them as waiting", async () => {
    const els = await online("Els", ["nl"]);
    const sim = simulatorFor(bed.server);
    const phone = bed.world.person.phoneNumbers?.[0]?.e164 ?? "+32470123456";
    const simCall = await sim.start({ from: phone, to: DESK });
    const before = await bed.server.context.dataSource.getRepository(Call).findOneByOrFail({ callSid: simCall.callSid });
    expect(before.outcome).to.equal("in_ivr");
    await sim.redirect(simCall, `${bed.server.url}/twilio/fallback?lang=nl`);
    expect(simCall.queue?.name).to.equal("desk-general");
    const after = await bed.server.context.dataSource.getRepository(Call).findOneByOrFail({ id: before.id });
    expect(after).to.include({ outcome: "queued", queueName: "desk-general", ivrStep: "queue" });
    await eventually(() => els.pops.find((pop) => pop.callId === before.id && pop.stage === "queued"), 3000, "the pop of a waiting caller");
    expect((await api(bed.server.url, els.cookie, "POST", `/api/calls/${before.id}/accept`)).status).to.equal(200);
  });

  it("releases a call the desk had as taken when its caller turns up in desk-general (the bridge failed into the fallback): agent missed, offered again", async () => {
    const els = await online("Els", ["nl"]);
    const jan = await online("Jan", ["nl"]);
    const call = await identifiedCall(bed.server.context, { person: bed.world.person, queued: true });
    await eventually(() => jan.pops.some((pop) => pop.callId === call.id), 3000, "the pop");
    expect((await api(bed.server.url, els.cookie, "POST", `/api/calls/${call.id}/accept`)).status).to.equal(200);
    const shown = jan.pops.length;
    // connect-agent (or the dial action) failed: Twilio played the fallback, the caller waits in desk-general.
    const waitUrl = await sentToGeneralQueue(call.callSid, "+32470123456");
    await signedPost(waitUrl, callParams(call.callSid, "+32470123456", { QueuePosition: "1", CurrentQueueSize: "1" }));
    const released = await bed.server.context.dataSource.getRepository(Call).findOneByOrFail({ id: call.id });
    expect(released).to.include({ acceptedByAgentId: null, answeredAt: null, outcome: "queued", queueName: "desk-general" });
    expect(released.missedAt).to.be.instanceOf(Date);
    expect((await api(bed.server.url, els.cookie, "GET", "/api/me")).body.agent.status).to.equal("missed");
    await eventually(() => jan.pops.slice(shown).some((pop) => pop.callId === call.id), 3000, "the pop offered again to Jan");
    // The second redirect of this caller (Els's was the first).
    const redirect = waitForRedirect(bed.server.context.redis, bed.server.context.env.REDIS_PREFIX, call.callSid, 3000, 1);
    expect((await api(bed.server.url, jan.cookie, "POST", `/api/calls/${call.id}/accept`)).status).to.equal(200);
    expect(await redirect).to.equal(`${bed.server.url}/twilio/connect-agent?agentId=${jan.row.id}`);
  });
});
