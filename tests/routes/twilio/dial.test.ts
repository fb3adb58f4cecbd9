import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect } from "chai";
import { prompt } from "../../../ivr-flows/prompts/index.js";
import { openSession } from "../../../server/auth/sessions.js";
import { TwilioSimulator, waitForRedirect, type SimCall } from "../../../server/twilio/simulator.js";
import { RedisSoftphoneBus } from "../../../server/twilio/softphone-bus.js";
import { startTestServer, TEST_AUTH_TOKEN, type TestServer } from "../../support/app.js";
import { registerSoftphone, type TestSoftphone } from "../../support/softphone.js";
import { waitFor } from "../../support/wait.js";
import { DESK, IvrFixtures, simulatorFor, startIvrBed } from "../../ivr/fixtures.js";
import { deskFetch } from "../../support/desk-fetch.js";

describe("<Dial> as Twilio does it: the agent's softphone rings, answers, declines, rings out, hangs up", () => {
  let server: TestServer;
  let fx: IvrFixtures;
  /** The simulator's clock: real time plus what a test skips ahead. */
  let skipped = 0;
  let sim: TwilioSimulator;
  const phones: TestSoftphone[] = [];

  beforeEach(async () => {
    ({ server, fx } = await startIvrBed());
    skipped = 0;
    sim = simulatorFor(server, undefined, { clock: () => Date.now() + skipped });
  });
  afterEach(async () => {
    for (const phone of phones.splice(0)) phone.close();
    await server.close();
  });

  const session = async (agentId: number) => `sd_session=${(await openSession(fx.dataSource, agentId, 1)).token}`;

  /** A caller in the French queue, accepted by `agentId` through the API; the simulator follows the dequeue. */
  async function acceptedCall(agentId: number): Promise<SimCall> {
    const { customer } = await fx.customer();
    const { phone } = await fx.person(customer, { language: "fr", firstName: "Camille" });
    const call = await sim.start({ from: phone!, to: DESK });
    await sim.press(call, "1");
    expect(call.status, call.outcome).to.equal("queue");
    const row = await fx.call(call.callSid);
    const accepted = await deskFetch(`${server.url}/api/calls/${row.id}/accept`, { method: "POST", headers: { cookie: await session(agentId) } });
    expect(accepted.status, await accepted.clone().text()).to.equal(200);
    const url = await waitForRedirect(server.context.redis, server.context.env.REDIS_PREFIX, call.callSid, 5000);
    await sim.redirect(call, url!);
    return call;
  }

  const agentStatus = async (agentId: number) => ((await fx.dataSource.query(`SELECT status FROM agents WHERE id = ?`, [agentId])) as { status: string }[])[0]!.status;
  const dialEvents = async (callSid: string) =>
    (await fx.events(callSid)).filter((event) => event.type === "agent_missed" || event.type === "agent_dial_ended").map((event) => [event.type, (event.data as { dialCallStatus?: string }).dialCallStatus]);

  it("rings nobody when the agent has no registered softphone: no-answer at once, the caller back in their queue, the call free again", async () => {
    const agent = await fx.agent();
    const call = await acceptedCall(agent.id);
    expect(call.status).to.equal("queue");
    expect(call.queue?.name).to.equal("desk-fr");
    expect(call.connectedTo).to.equal(null);
    expect(TwilioSimulator.said(call)).to.include(prompt("fr", "agentMissed"));
    expect(await dialEvents(call.callSid)).to.deep.equal([["agent_missed", "no-answer"]]);
    expect(await fx.call(call.callSid)).to.include({ acceptedByAgentId: null, outcome: "queued" });
    expect(await agentStatus(agent.id)).to.equal("missed");
  });

  it("rings the registered softphone and connects only when it answers; the agent's hang-up completes the dial and ends the call", async () => {
    const agent = await fx.agent();
    const phone = await registerSoftphone(server.url, { cookie: await session(agent.id) });
    phones.push(phone);
    const call = await acceptedCall(agent.id);
    expect(call.status).to.equal("dial");
    expect(call.connectedTo, "ringing is not connected").to.equal(null);
    expect(call.dial).to.include({ to: `client:agent-${agent.id}`, timeoutSeconds: 20, answeredAt: null });
    const ring = await phone.ringOf(call.callSid);
    expect(ring).to.deep.include({ identity: `agent-${agent.id}`, from: call.from, to: DESK, timeoutSeconds: 20, dialCallSid: call.dial!.dialCallSid });
    // Polling while it rings changes nothing.
    skipped = 10_000;
    await sim.pollDial(call);
    expect(call.connectedTo).to.equal(null);

    await phone.pickUp(sim, call);
    expect(call.connectedTo).to.equal(`client:agent-${agent.id}`);
    expect((await fx.call(call.callSid)).outcome).to.equal("answered");
    // A second answer of the same leg is refused.
    expect(await phone.answer(ring.dialCallSid)).to.have.property("error");

    skipped += 95_000;
    await phone.hangUp(sim, call);
    expect(call.status).to.equal("ended");
    expect(await dialEvents(call.callSid)).to.deep.equal([["agent_dial_ended", "completed"]]);
    await waitFor(async () => phone.ended.find((end) => end.dialCallSid === ring.dialCallSid), 3000, "the softphone to hear the end");
    expect(phone.ended.find((end) => end.dialCallSid === ring.dialCallSid)!.reason).to.equal("completed");
  });

  it("rings out after the dial's timeout (20 s): no-answer, the caller back in their queue, the softphone told; a late answer is refused", async () => {
    const agent = await fx.agent();
    const phone = await registerSoftphone(server.url, { cookie: await session(agent.id) });
    phones.push(phone);
    const call = await acceptedCall(agent.id);
    const ring = await phone.ringOf(call.callSid);
    skipped = 19_000;
    await sim.pollDial(call);
    expect(call.status).to.equal("dial");
    skipped = 20_000;
    await sim.pollDial(call);
    expect(call.status).to.equal("queue");
    expect(call.queue?.name).to.equal("desk-fr");
    expect(await dialEvents(call.callSid)).to.deep.equal([["agent_missed", "no-answer"]]);
    expect(await fx.call(call.callSid)).to.include({ acceptedByAgentId: null });
    await waitFor(async () => phone.ended.find((end) => end.dialCallSid === ring.dialCallSid), 3000, "the softphone to stop ringing");
    expect(phone.ended.find((end) => end.dialCallSid === ring.dialCallSid)!.reason).to.equal("no-answer");
    expect(await phone.answer(ring.dialCallSid)).to.have.property("error");
  });

  it("a declined ring is Twilio's busy: the caller goes back to their queue and the agent is set missed", async () => {
    const agent = await fx.agent();
    const phone = await registerSoftphone(server.url, { cookie: await session(agent.id) });
    phones.push(phone);
    const call = await acceptedCall(agent.id);
    const ring = await phone.ringOf(call.callSid);
    expect(await phone.reject(ring.dialCallSid)).to.deep.equal({ ok: true });
    await sim.pollDial(call);
    expect(call.status).to.equal("queue");
    expect(await dialEvents(call.callSid)).to.deep.equal([["agent_missed", "busy"]]);
    expect(await agentStatus(agent.id)).to.equal("missed");
  });

  it("another tab of the same agent stops ringing when one answers; another agent cannot answer the ring", async () => {
    const agent = await fx.agent();
    const other = await fx.agent();
    const [first, second, stranger] = [
      await registerSoftphone(server.url, { cookie: await session(agent.id) }),
      await registerSoftphone(server.url, { cookie: await session(agent.id) }),
      await registerSoftphone(server.url, { cookie: await session(other.id) }),
    ];
    phones.push(first, second, stranger);
    const call = await acceptedCall(agent.id);
    const ring = await second.ringOf(call.callSid);
    expect(stranger.incoming).to.deep.equal([]);
    expect(await stranger.answer(ring.dialCallSid)).to.have.property("error");
    await first.pickUp(sim, call);
    await waitFor(async () => second.ended.find((end) => end.reason === "answered-elsewhere"), 3000, "the other tab to stop ringing");
    expect(first.ended).to.deep.equal([]);
  });

  it("the caller hanging up while it rings stops the softphone", async () => {
    const agent = await fx.agent();
    const phone = await registerSoftphone(server.url, { cookie: await session(agent.id) });
    phones.push(phone);
    const call = await acceptedCall(agent.id);
    const ring = await phone.ringOf(call.callSid);
    await sim.hangup(call);
    expect(call.status).to.equal("ended");
    await waitFor(async () => phone.ended.find((end) => end.dialCallSid === ring.dialCallSid && end.reason === "caller-hangup"), 3000, "the ring to stop");
  });

  it("a registration ends on unregister, on disconnect, when the agent goes offline, and expires unless refreshed", async () => {
    const bus = new RedisSoftphoneBus(server.context.redis, server.context.env.REDIS_PREFIX);
    const agent = await fx.agent();
    const identity = `agent-${agent.id}`;
    const cookie = await session(agent.id);
    const phone = await registerSoftphone(server.url, { cookie });
    expect(await bus.isRegistered(identity)).to.equal(true);
    expect(await phone.socket.timeout(3000).emitWithAck("softphone:unregister")).to.deep.equal({ ok: true });
    expect(await bus.isRegistered(identity)).to.equal(false);
    await phone.socket.timeout(3000).emitWithAck("softphone:register");
    expect(await bus.isRegistered(identity)).to.equal(true);
    phone.close();
    await waitFor(async () => !(await bus.isRegistered(identity)), 3000, "the disconnect to unregister");

    const again = await registerSoftphone(server.url, { cookie });
    phones.push(again);
    const offline = await deskFetch(`${server.url}/api/me/status`, { method: "PUT", headers: { cookie, "content-type": "application/json" }, body: JSON.stringify({ status: "offline" }) });
    expect(offline.status).to.equal(200);
    await waitFor(async () => !(await bus.isRegistered(identity)), 5000, "going offline to unregister");
    expect(await again.socket.timeout(3000).emitWithAck("softphone:register")).to.have.property("error").that.contains("offline");

    let now = Date.now();
    const clocked = new RedisSoftphoneBus(server.context.redis, server.context.env.REDIS_PREFIX, () => now);
    await clocked.register("agent-999999", "device-1", 60);
    now += 59_000;
    expect(await clocked.isRegistered("agent-999999")).to.equal(true);
    now += 2_000;
    expect(await clocked.isRegistered("agent-999999")).to.equal(false);
  });

  it("refuses the softphone events in live mode, where the Voice SDK registers with Twilio", async () => {
    const live = await startTestServer({ TWILIO_ACCOUNT_SID: `AC${"1".repeat(32)}`, TWILIO_AUTH_TOKEN: "live-token-0123456789abcdef" });
    try {
      const agent = await fx.agent();
      const socket = await registerSoftphone(live.url, { cookie: await session(agent.id) }).then(
        () => null,
        (error: Error) => error.message,
      );
      expect(socket).to.contain("simulation mode");
      // The CSP opens the Voice SDK's hosts in live mode only.
      const csp = (await fetch(`${live.url}/healthz`)).headers.get("content-security-policy")!;
      expect(csp).to.contain("wss://voice-js.roaming.twilio.com").and.contain("https://eventgw.twilio.com").and.match(/media-src 'self' https:\/\/sdk\.twilio\.com/);
      const simulated = (await fetch(`${server.url}/healthz`)).headers.get("content-security-policy")!;
      expect(simulated).to.not.contain("twilio.com");
    } finally {
      await live.close();
    }
  });
});

describe("<Dial> without an action, and a <Number> leg (the simulator alone)", () => {
  let server: http.Server;
  let base: string;
  let document: string;
  const posted: Record<string, string>[] = [];
  let now = Date.now();

  before(async () => {
    server = http.createServer((req, res) => {
      let body = "";
      req.on("data", (chunk) => (body += chunk));
      req.on("end", () => {
        posted.push({ path: req.url ?? "", ...Object.fromEntries(new URLSearchParams(body)) });
        res.setHeader("content-type", "text/xml");
        res.end(req.url === "/after-dial" ? `<Response><Say>Dial action heard</Say><Hangup/></Response>` : document);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => server.close());
  beforeEach(() => {
    posted.splice(0);
    now = Date.now();
  });
  const simulator = () => new TwilioSimulator({ authToken: TEST_AUTH_TOKEN, voiceUrl: `${base}/voice`, clock: () => now });

  it("nobody answers a <Number> unless told; at the timeout (default 30 s) Twilio goes on with the next verb", async () => {
    document = `<Response><Dial><Number>+3232000002</Number></Dial><Say>Nobody answered</Say></Response>`;
    const sim = simulator();
    const call = await sim.start({ from: "+32470000001", to: DESK });
    expect(call.status).to.equal("dial");
    expect(call.dial).to.include({ to: "number:+3232000002", timeoutSeconds: 30 });
    now += 29_000;
    await sim.pollDial(call);
    expect(call.status).to.equal("dial");
    now += 1_000;
    await sim.pollDial(call);
    expect(TwilioSimulator.said(call)).to.deep.equal(["Nobody answered"]);
    expect(call.status).to.equal("ended");
  });

  it("answered and hung up by the dialled party without an action: the next verbs run, then the call ends", async () => {
    document = `<Response><Dial timeout="5">+3232000002</Dial><Say>After the call</Say></Response>`;
    const sim = simulator();
    const call = await sim.start({ from: "+32470000001", to: DESK });
    await sim.answerDial(call);
    expect(call.connectedTo).to.equal("number:+3232000002");
    now += 60_000;
    await sim.pollDial(call);
    expect(call.connectedTo, "a connected call does not time out").to.equal("number:+3232000002");
    await sim.hangupDial(call);
    expect(TwilioSimulator.said(call)).to.deep.equal(["After the call"]);
    expect(call.status).to.equal("ended");
  });

  it("with an action, posts DialCallStatus, DialCallSid and DialCallDuration and runs the TwiML answered", async () => {
    document = `<Response><Dial action="${"BASE"}/after-dial" timeout="10"><Number>+3232000002</Number></Dial><Say>Never reached</Say></Response>`;
    document = document.replace("BASE", base);
    const sim = simulator();
    const call = await sim.start({ from: "+32470000001", to: DESK });
    const dialCallSid = call.dial!.dialCallSid;
    await sim.answerDial(call);
    now += 42_000;
    await sim.hangupDial(call);
    const action = posted.find((request) => request.path === "/after-dial")!;
    expect(action).to.include({ DialCallStatus: "completed", DialCallSid: dialCallSid, DialCallDuration: "42", CallSid: call.callSid });
    expect(TwilioSimulator.said(call)).to.deep.equal(["Dial action heard"]);

    const busy = await sim.start({ from: "+32470000001", to: DESK });
    await sim.rejectDial(busy);
    expect(posted.filter((request) => request.path === "/after-dial").at(-1)).to.include({ DialCallStatus: "busy" }).and.not.have.property("DialCallDuration");
  });
});


