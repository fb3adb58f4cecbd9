import type { Job } from "bullmq";
import { expect } from "chai";
import { Agent } from "../../entities/Agent.js";
import { CallbackRequest } from "../../entities/CallbackRequest.js";
import { Ticket } from "../../entities/Ticket.js";
import { TicketEvent } from "../../entities/TicketEvent.js";
import { flowUrls } from "../../ivr-flows/urls.js";
import { callbackDialJob, type CallbackDialData } from "../../server/jobs/callback-dial.js";
import type { SimulatedTwilioClient } from "../../server/twilio/simulated-client.js";
import { fetchTransport, findAll, TwilioSimulator, type AnsweredBy, type WebhookTransport } from "../../server/twilio/simulator.js";
import { setTimeout as sleep } from "node:timers/promises";
import { prompt } from "../../ivr-flows/prompts/index.js";
import { WEBHOOK_DEADLINE_MS } from "../../server/routes/twilio/index.js";
import { TWILIO_WEBHOOK_TIMEOUT_MS } from "../../server/twilio/simulator.js";
import { TEST_AUTH_TOKEN, type TestServer } from "../support/app.js";
import { testDatabaseKind } from "../support/database.js";
import { DESK, IvrFixtures, OPEN_NOW, startIvrBed } from "../ivr/fixtures.js";
import { RedisSoftphoneBus } from "../../server/twilio/softphone-bus.js";
import { registerSoftphone, type TestSoftphone } from "../support/softphone.js";
import { simClient } from "../routes/simulator/helpers.js";

/** Every webhook the simulator sent, with its form parameters (a transport that records, then really sends). */
function recordingTransport(log: { path: string; params: Record<string, string> }[]): WebhookTransport {
  return async (url, request) => {
    log.push({ path: new URL(url).pathname, params: Object.fromEntries(new URLSearchParams(request.body ?? "")) });
    return fetchTransport(url, request);
  };
}

describe("the simulator plays Twilio faithfully (issue 16)", () => {
  let server: TestServer;
  let fx: IvrFixtures;
  let sim: TwilioSimulator;

  // The agents' softphones a test registered: a <Dial><Client> rings only a registered one.
  let softphones: TestSoftphone[];
  beforeEach(async () => {
    ({ server, fx, sim } = await startIvrBed());
    softphones = [];
  });
  afterEach(async () => {
    for (const softphone of softphones) softphone.close();
    await server.close();
  });
  const softphoneOf = async (agentId: number) => {
    const softphone = await registerSoftphone(server.url, { server, agentId });
    softphones.push(softphone);
    return softphone;
  };

  async function queuedCall(language: "nl" | "fr" = "nl") {
    const { customer } = await fx.customer();
    const { phone } = await fx.person(customer, { language });
    const call = await sim.start({ from: phone!, to: DESK });
    await sim.press(call, "1");
    expect(call.status).to.equal("queue");
    return call;
  }

  describe("REST dequeue (Queue Members API)", () => {
    it("posts the Enqueue action with QueueResult=redirected, then runs the new URL; the call is answered, never abandoned", async () => {
      const agent = await fx.agent();
      const softphone = await softphoneOf(agent.id);
      const call = await queuedCall("fr");
      const urls = flowUrls(server.context.baseUrl);
      server.context.now = () => new Date(OPEN_NOW.getTime() + 30_000);
      await server.context.twilio.redirectQueueMember({ queueName: "desk-fr", callSid: call.callSid, url: urls.connectAgent(agent.id) });
      const before = call.requests.length;
      await sim.redirect(call, urls.connectAgent(agent.id));
      const paths = call.requests.slice(before).map((request) => new URL(request.url).pathname);
      expect(paths).to.deep.equal(["/twilio/queue/exit", "/twilio/connect-agent"]);
      const exit = (await fx.events(call.callSid)).find((event) => event.type === "queue_exit");
      expect(exit?.data).to.deep.include({ result: "redirected" });
      expect(await fx.call(call.callSid)).to.include({ outcome: "answered", waitSeconds: 30 });
      await softphone.pickUp(sim, call);
      expect(call.connectedTo).to.equal(`client:agent-${agent.id}`);
      await sim.hangup(call);
      expect((await fx.call(call.callSid)).outcome).to.equal("answered");
    });

    it("answers Twilio's 404 (20404) for a call that is no longer in that queue", async () => {
      const agent = await fx.agent();
      const call = await queuedCall();
      await sim.hangup(call);
      const client = server.context.twilio as SimulatedTwilioClient;
      const refused = await client.redirectQueueMember({ queueName: "desk-nl", callSid: call.callSid, url: flowUrls(server.context.baseUrl).connectAgent(agent.id) }).catch((error: unknown) => error);
      expect(refused).to.include({ status: 404, code: 20404 });
      expect((await fx.call(call.callSid)).outcome).to.equal("abandoned");
    });
  });
  describe("outbound calls (Calls API) ring, are answered or not, and report their status", () => {
    const PERSON = "+32479555123";
    let log: { path: string; params: Record<string, string> }[];
    let outboundSim: TwilioSimulator;
    const client = () => server.context.twilio as SimulatedTwilioClient;

    beforeEach(() => {
      log = [];
      outboundSim = new TwilioSimulator({ authToken: TEST_AUTH_TOKEN, voiceUrl: `${server.url}/twilio/voice`, transport: recordingTransport(log), ledger: client().ledger, softphones: new RedisSoftphoneBus(server.context.redis, server.context.env.REDIS_PREFIX) });
    });

    /** A callback accepted by an agent (on call), dialled by the real job: the call rings at the person's number. */
    async function dialledCallback() {
      const agent = await fx.agent();
      await softphoneOf(agent.id);
      await fx.dataSource.getRepository(Agent).update({ id: agent.id }, { status: "on_call" });
      const { customer } = await fx.customer();
      const { person } = await fx.person(customer, { language: "fr" });
      const ticket = await fx.dataSource.getRepository(Ticket).save({ number: `2026-${String(Math.floor(Math.random() * 1e6)).padStart(6, "0")}`, contactType: "question", customerId: customer.id, reporterId: person.id, language: "fr" });
      const callback = await fx.dataSource.getRepository(CallbackRequest).save({ phoneNumber: PERSON, language: "fr", queuedAt: OPEN_NOW, ticketId: ticket.id, status: "dialing", attempts: 1, agentId: agent.id });
      await callbackDialJob.handle(server.context, { callbackId: callback.id, attempt: 1 }, { attemptsMade: 0, opts: { attempts: 4 } } as Job<CallbackDialData>);
      const [ringing] = (await client().outbound.ringing(PERSON)).filter((call) => call.url.includes(`callbackId=${callback.id}&`));
      expect(ringing, "the outbound call rings").to.not.equal(undefined);
      const call = await outboundSim.ringOutbound((await client().outbound.take(ringing!.callSid))!);
      return { agent, callback, ticket, call };
    }
    const stored = async (id: number) => fx.dataSource.getRepository(CallbackRequest).findOneByOrFail({ id });
    const agentStatus = async (id: number) => (await fx.dataSource.getRepository(Agent).findOneByOrFail({ id })).status;

    it("a callback asks machine detection; a person answers: answered callback, then the bridge with AnsweredBy=human and Direction=outbound-api dials the agent", async () => {
      const { agent, callback, call } = await dialledCallback();
      const placed = (await client().requests()).find((request) => request.kind === "call" && request.sid === call.callSid)!;
      expect(placed.params).to.include({ machineDetection: "Enable", statusCallbackEvent: "answered completed" });
      expect(await client().fetchCall(call.callSid)).to.include({ status: "ringing" });
      expect(log, "initiated and ringing were not asked for").to.have.length(0);
      await outboundSim.answerOutbound(call, "human");
      expect(log.map((entry) => entry.path)).to.deep.equal(["/twilio/callback-status", "/twilio/callback-bridge"]);
      expect(log[0]!.params).to.include({ CallSid: call.callSid, CallStatus: "in-progress", Direction: "outbound-api", SequenceNumber: "0", CallbackSource: "call-progress-events" });
      expect(log[1]!.params).to.include({ CallSid: call.callSid, AnsweredBy: "human", Direction: "outbound-api", From: DESK, To: PERSON, CallStatus: "in-progress" });
      expect(findAll(call.lastTwiml!, "Client").map((node) => node.text)).to.deep.equal([`agent-${agent.id}`]);
      expect((await stored(callback.id)).status).to.equal("dialing");
    });

    for (const answeredBy of ["machine_start", "fax"] as AnsweredBy[]) {
      it(`a ${answeredBy} answer is hung up on and is not a done callback: the attempt is retried later, the completed status changes nothing`, async () => {
        const { agent, callback, ticket, call } = await dialledCallback();
        await outboundSim.answerOutbound(call, answeredBy);
        expect(log.find((entry) => entry.path === "/twilio/callback-bridge")!.params.AnsweredBy).to.equal(answeredBy);
        expect(call.status).to.equal("ended");
        expect(findAll(call.lastTwiml!, "Hangup")).to.have.length(1);
        const completed = log.find((entry) => entry.path === "/twilio/callback-status" && entry.params.CallStatus === "completed");
        expect(completed?.params.CallDuration).to.match(/^\d+$/);
        expect(await stored(callback.id)).to.include({ status: "pending", lastError: `answered by ${answeredBy}`, agentId: null, outboundCallSid: null });
        expect(await agentStatus(agent.id)).to.equal("available");
        const types = (await fx.dataSource.getRepository(TicketEvent).findBy({ ticketId: ticket.id })).map((event) => event.type);
        expect(types).to.include("callback_attempt_failed").and.not.include("callback_completed");
      });
    }

    it("reports machine_end_* only with DetectMessageEnd, and no AnsweredBy at all without machine detection", async () => {
      const statusCallback = `${server.url}/twilio/callback-status?callbackId=999999`;
      for (const [machineDetection, expected] of [["Enable", "machine_start"], ["DetectMessageEnd", "machine_end_beep"], [undefined, undefined]] as const) {
        const { sid } = await client().createCall({ to: PERSON, from: DESK, url: `${server.url}/twilio/callback-bridge?callbackId=999999&agentId=1`, statusCallback, ...(machineDetection ? { machineDetection } : {}) });
        const call = await outboundSim.ringOutbound((await client().outbound.take(sid))!);
        await outboundSim.answerOutbound(call, "machine_end_beep");
        expect(log.at(-2)!.params.AnsweredBy, String(machineDetection)).to.equal(expected);
      }
    });

    it("posts every event asked for (initiated, ringing, completed) with CallStatus and CallDuration when nobody answers", async () => {
      const { sid } = await client().createCall({ to: PERSON, from: DESK, url: `${server.url}/twilio/callback-bridge`, statusCallback: `${server.url}/twilio/callback-status?callbackId=999999`, statusCallbackEvent: ["initiated", "ringing", "answered", "completed"] });
      log.length = 0;
      const call = await outboundSim.ringOutbound((await client().outbound.take(sid))!);
      expect(await client().outbound.take(sid), "a ringing call is taken once").to.equal(null);
      await outboundSim.unansweredOutbound(call, "no-answer");
      expect(log.map((entry) => [entry.params.CallStatus, entry.params.SequenceNumber])).to.deep.equal([["initiated", "0"], ["ringing", "1"], ["no-answer", "2"]]);
      expect(log[2]!.params.CallDuration).to.equal("0");
      expect(await client().fetchCall(sid)).to.include({ status: "no-answer", durationSeconds: 0 });
    });

    for (const status of ["no-answer", "busy", "failed"] as const) {
      it(`a callback that is ${status} is retried, never done`, async () => {
        const { agent, callback, call } = await dialledCallback();
        await outboundSim.unansweredOutbound(call, status);
        expect(log.map((entry) => [entry.path, entry.params.CallStatus])).to.deep.equal([["/twilio/callback-status", status]]);
        expect(await stored(callback.id)).to.include({ status: "pending", lastError: status });
        expect(await agentStatus(agent.id)).to.equal("available");
      });
    }

    it("the phone simulator lists the desk's ringing call and answers it as the person or the voicemail, or declines it (/sim)", async () => {
      const page = await simClient(server);
      const post = (url: string, body: unknown = {}) => page.post(new URL(url).pathname + new URL(url).search, body);
      const place = () => client().createCall({ to: PERSON, from: DESK, url: `${server.url}/twilio/callback-bridge?callbackId=999999&agentId=1`, machineDetection: "Enable" });
      const first = await place();
      const listed = (await (await (await simClient(server)).get(`/sim/incoming?to=${encodeURIComponent(PERSON)}`)).json()) as { calls: { callSid: string; from: string }[] };
      expect(listed.calls.map((call) => call.callSid)).to.include(first.sid);
      expect(listed.calls.find((call) => call.callSid === first.sid)!.from).to.equal(DESK);
      const answered = await post(`${server.url}/sim/incoming/${first.sid}/answer`, { by: "voicemail" });
      expect(answered.status).to.equal(201);
      const view = (await answered.json()) as { status: string; direction: string };
      expect(view).to.include({ status: "ended", direction: "outbound-api" });
      expect((await post(`${server.url}/sim/incoming/${first.sid}/answer`)).status, "answered once").to.equal(404);
      const second = await place();
      const declined = (await (await post(`${server.url}/sim/incoming/${second.sid}/decline`)).json()) as { status: string };
      expect(declined.status).to.equal("ended");
      expect(await client().fetchCall(second.sid)).to.include({ status: "busy" });
      expect((await post(`${server.url}/sim/incoming/${second.sid}/decline`, { as: "maybe" })).status).to.equal(400);
    });

    it("a callback nobody picks up rings out after its timeout (no-answer) and is retried", async () => {
      const { callback, call } = await dialledCallback();
      // Put back as still ringing with a 1 s Timeout, placed 2 s ago: the next look of the phone simulator rings it out.
      await client().outbound.place({ to: PERSON, from: DESK, url: call.outbound!.url, statusCallback: call.outbound!.statusCallback!, timeout: 1, callSid: call.callSid, placedAt: Date.now() - 2000 });
      const listed = (await (await (await simClient(server)).get(`/sim/incoming?to=${encodeURIComponent(PERSON)}`)).json()) as { calls: { callSid: string }[] };
      expect(listed.calls.map((ringing) => ringing.callSid)).to.not.include(call.callSid);
      expect(await client().fetchCall(call.callSid)).to.include({ status: "no-answer" });
      expect(await stored(callback.id)).to.include({ status: "pending", lastError: "no-answer" });
    });
  });
  describe("webhook deadlines (Twilio waits 15 s, the desk answers well before)", () => {
    /** Holds the call's row (MariaDB) or the one SQLite writer for `ms`: the next step of that call waits behind it. */
    async function holdCall(callSid: string, ms: number): Promise<{ released: Promise<void> }> {
      let locked!: () => void;
      const taken = new Promise<void>((resolve) => (locked = resolve));
      const held = fx.dataSource.transaction(async (manager) => {
        if (testDatabaseKind === "mysql") await manager.query("SELECT id FROM calls WHERE callSid = ? FOR UPDATE", [callSid]);
        locked();
        await sleep(ms);
      });
      await taken;
      return { released: held }; // (an async function returning the promise itself would wait for it)
    }
    async function atContactType() {
      const { customer } = await fx.customer();
      const { phone } = await fx.person(customer, { language: "nl" });
      return { customer, call: await sim.start({ from: phone!, to: DESK }) };
    }
    const ticketsOf = async (customerId: number) => fx.dataSource.getRepository(Ticket).countBy({ customerId });

    it("keeps the app's own deadline well under Twilio's 15 s", () => {
      expect(TWILIO_WEBHOOK_TIMEOUT_MS).to.equal(15_000);
      expect(WEBHOOK_DEADLINE_MS).to.be.at.most(10_000);
    });

    it("a webhook slower than Twilio waits is error 11205: Twilio asks the Voice Fallback URL (ErrorCode, ErrorUrl) and runs its TwiML", async () => {
      const log: { path: string; params: Record<string, string> }[] = [];
      const slowSim = new TwilioSimulator({ authToken: TEST_AUTH_TOKEN, voiceUrl: `${server.url}/twilio/voice`, fallbackUrl: flowUrls(server.context.baseUrl).fallback, webhookTimeoutMs: 1500, transport: recordingTransport(log) });
      server.context.webhookDeadlineMs = 5000; // the desk breaks its own deadline here: Twilio's clock runs out first
      const { customer } = await fx.customer();
      const { phone } = await fx.person(customer, { language: "nl" });
      const call = await slowSim.start({ from: phone!, to: DESK });
      const held = await holdCall(call.callSid, 2500);
      await slowSim.press(call, "1");
      const failed = call.requests.find((request) => request.errorCode === 11205);
      expect(failed && new URL(failed.url).pathname).to.match(/^\/twilio\/ivr\//);
      const fallback = log.find((entry) => entry.path === "/twilio/fallback");
      expect(fallback?.params).to.include({ ErrorCode: "11205", ErrorUrl: failed!.url });
      expect(TwilioSimulator.said(call)).to.include(prompt("nl", "technicalProblem"));
      expect(call.queue?.name).to.equal("desk-general");
      await held.released;
    });

    it("without a fallback URL the caller hears Twilio's application error and the call ends", async () => {
      const bare = new TwilioSimulator({ authToken: TEST_AUTH_TOKEN, voiceUrl: `${server.url}/twilio/voice`, webhookTimeoutMs: 1500 });
      server.context.webhookDeadlineMs = 5000;
      const { customer } = await fx.customer();
      const { phone } = await fx.person(customer, { language: "nl" });
      const call = await bare.start({ from: phone!, to: DESK });
      const held = await holdCall(call.callSid, 2500);
      await bare.press(call, "1");
      expect(call.status).to.equal("ended");
      expect(call.outcome).to.match(/^application error: no answer within 1.5 s from \/twilio\/ivr\/.* \(error 11205\)$/);
      expect(call.heard.at(-1)!.text).to.contain("application error");
      await held.released;
    });

    it("a step that misses the desk's deadline answers the fallback TwiML and commits nothing contradicting it", async () => {
      const { customer, call } = await atContactType();
      server.context.webhookDeadlineMs = 600;
      const before = await fx.call(call.callSid);
      const eventsBefore = (await fx.events(call.callSid)).length;
      const held = await holdCall(call.callSid, 2000);
      await sim.press(call, "1");
      // The caller was told about a technical problem and waits in the general queue...
      expect(TwilioSimulator.said(call)).to.include(prompt("nl", "technicalProblem"));
      expect(call.queue?.name).to.equal("desk-general");
      await held.released;
      await sleep(500); // ...while the late step ran on behind the lock, and rolled back at its commit
      const after = await fx.call(call.callSid);
      expect(after).to.include({ ivrStep: before.ivrStep, outcome: before.outcome, queueName: before.queueName, ticketId: before.ticketId });
      expect((await fx.events(call.callSid)).length).to.equal(eventsBefore);
      expect(await ticketsOf(customer.id)).to.equal(0);
    });

    it("the same step in time commits as usual (the deadline binds only late work)", async () => {
      server.context.webhookDeadlineMs = 5000;
      const { customer, call } = await atContactType();
      const held = await holdCall(call.callSid, 300);
      await sim.press(call, "1");
      await held.released;
      expect(call.queue?.name).to.equal("desk-nl");
      expect(await ticketsOf(customer.id)).to.equal(1);
    });
  });
});
