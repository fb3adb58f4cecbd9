import { expect } from "chai";
import type { Socket } from "socket.io-client";
import { Agent } from "../../entities/Agent.js";
import { CallbackRequest } from "../../entities/CallbackRequest.js";
import { callbackRequester } from "../../server/commands/callback-requester.js";
import { CALL_CHECK_AFTER_MS, CALL_CHECK_UNTIL_MS, callStatusCheckJob, checkUnfinishedCalls } from "../../server/jobs/call-status-check.js";
import type { TwilioRestClient } from "../../server/twilio/client.js";
import type { SimulatedTwilioClient } from "../../server/twilio/simulated-client.js";
import { fetchTransport, RedisCallLedger, TwilioSimulator, type WebhookTransport } from "../../server/twilio/simulator.js";
import { TEST_AUTH_TOKEN, type TestServer } from "../support/app.js";
import { resetDatabase } from "../support/database.js";
import { fixtures } from "../support/fixtures.js";
import { callParams, DESK, IvrFixtures, newCallSid, signedPost, startIvrBed } from "../ivr/fixtures.js";
import { createAgent } from "./fixtures.js";
import { api, collect, connectSocket, eventually, login } from "../routes/console/helpers.js";

describe("the call status check (status callbacks that never came)", () => {
  let server: TestServer;
  let fx: IvrFixtures;
  let sim: TwilioSimulator;
  /** While true the desk cannot be reached: every webhook gets a 502 from the load balancer, as during a restart. */
  let deskDown: boolean;
  const sockets: Socket[] = [];

  beforeEach(async () => {
    ({ server, fx } = await startIvrBed());
    await resetDatabase(server.context.dataSource);
    deskDown = false;
    const transport: WebhookTransport = async (url, request) => (deskDown ? { status: 502, body: "Bad Gateway" } : fetchTransport(url, request));
    // Twilio keeps its record of the call (the ledger) whether or not the desk hears of its end.
    sim = new TwilioSimulator({ authToken: TEST_AUTH_TOKEN, voiceUrl: `${server.url}/twilio/voice`, statusUrl: `${server.url}/twilio/status`, ledger: new RedisCallLedger(server.context.redis, server.context.env.REDIS_PREFIX), transport });
  });
  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.close();
    await server.close();
  });

  /** The check as it runs `minutes` from now (the calls' start times are real, the IVR's clock is pinned to opening hours). */
  const checkAt = (minutes: number) => checkUnfinishedCalls(server.context, new Date(Date.now() + minutes * 60_000));
  const nothing = { checked: 0, ended: 0, callbacksEnded: 0, live: 0, unknown: 0, failed: 0 };

  async function queuedCaller() {
    const { customer } = await fx.customer();
    const { phone } = await fx.person(customer, { language: "nl" });
    const call = await sim.start({ from: phone!, to: DESK });
    await sim.press(call, "1");
    expect(call.status).to.equal("queue");
    return { call, phone: phone! };
  }

  it("runs every two minutes and asks only about calls begun five minutes to six hours ago", () => {
    expect(callStatusCheckJob).to.include({ name: "call-status-check", queue: "callbacks", everyMs: 120_000 });
    expect([CALL_CHECK_AFTER_MS, CALL_CHECK_UNTIL_MS]).to.deep.equal([5 * 60_000, 6 * 3600_000]);
  });

  it("ends a caller who hung up while the desk was down as abandoned, closes the pop, and changes nothing when asked again", async () => {
    const els = await fixtures(server.context.dataSource).agent({ name: "Els", languages: ["nl"] });
    const cookie = await login(server.url, els.email);
    await api(server.url, cookie, "PUT", "/api/me/status", { status: "available" });
    const socket = await connectSocket(server.url, cookie);
    sockets.push(socket);
    const pops = collect(socket, "screenpop:show");
    const closes = collect(socket, "screenpop:close");
    const { call, phone } = await queuedCaller();
    const stored = await fx.call(call.callSid);
    await eventually(() => pops.find((pop) => pop.callId === stored.id), 3000, "the pop");

    // The caller hangs up while the desk restarts: neither the queue's action nor the status callback arrives.
    deskDown = true;
    await sim.hangup(call);
    deskDown = false;
    expect(await fx.call(call.callSid)).to.deep.include({ outcome: "queued", endedAt: null });
    expect(await checkAt(1), "too recent to ask about").to.deep.equal(nothing);

    expect(await checkAt(6)).to.deep.equal({ ...nothing, checked: 1, ended: 1 });
    const ended = await fx.call(call.callSid);
    expect(ended.outcome).to.equal("abandoned");
    expect(ended.endedAt).to.be.instanceOf(Date);
    expect(ended.durationSeconds).to.be.a("number").and.to.be.at.least(1);
    const close = await eventually(() => closes.find((candidate) => candidate.callId === stored.id), 3000, "the pop's close");
    expect(close).to.deep.include({ reason: "ended", acceptedBy: null });
    expect((await fx.events(call.callSid)).filter((event) => event.type === "status").map((event) => event.data?.status)).to.deep.equal(["completed"]);

    // An ended call is not asked about again, and the status callback arriving after all changes nothing.
    expect(await checkAt(8)).to.deep.equal(nothing);
    const late = await signedPost(`${server.url}/twilio/status`, callParams(call.callSid, phone, { CallStatus: "completed", CallDuration: "999" }));
    expect(late.status).to.equal(200);
    expect(await fx.call(call.callSid)).to.deep.include({ outcome: "abandoned", durationSeconds: ended.durationSeconds });
  });

  it("leaves calls still going and calls Twilio has no record of, and asks again after a failed lookup", async () => {
    const { call, phone } = await queuedCaller();
    // A call Twilio never placed for this account (its lookup answers 404).
    const stranger = newCallSid();
    expect((await signedPost(`${server.url}/twilio/voice`, callParams(stranger, phone))).status).to.equal(200);
    expect(await checkAt(6)).to.deep.equal({ ...nothing, checked: 2, live: 1, unknown: 1 });
    expect(await fx.call(call.callSid)).to.deep.include({ outcome: "queued", endedAt: null });

    deskDown = true;
    await sim.hangup(call);
    deskDown = false;
    // Twilio's API cannot be reached: counted, nothing changes; the next check ends the call.
    const real = server.context.twilio;
    server.context.twilio = Object.assign(Object.create(real), {
      fetchCall: async () => {
        throw new Error("Twilio API 503");
      },
    }) as TwilioRestClient;
    try {
      expect(await checkAt(6)).to.deep.equal({ ...nothing, failed: 2 });
    } finally {
      server.context.twilio = real;
    }
    expect((await fx.call(call.callSid)).endedAt).to.equal(null);
    expect(await checkAt(6)).to.deep.equal({ ...nothing, checked: 2, ended: 1, unknown: 1 });
    expect((await fx.call(call.callSid)).outcome).to.equal("abandoned");
    // Six hours on, the stranger is no longer asked about (Twilio ends every call within four).
    expect(await checkAt(6 * 60 + 1)).to.deep.equal(nothing);
    expect((await fx.call(stranger)).endedAt).to.equal(null);
  });

  it("offers a callback again when its outbound call went unanswered and the status callback never came, and frees its agent", async () => {
    const { agent } = await createAgent(server.context.dataSource, { status: "on_call" });
    const { callbackId } = await callbackRequester(server.context, { callId: null, ticketId: null, phoneNumber: "0470 12 34 56", language: "nl", queuedAt: new Date() });
    const twilio = server.context.twilio as SimulatedTwilioClient;
    const { sid } = await twilio.createCall({ to: "+32470123456", from: DESK, url: `${server.url}/twilio/callback-bridge` });
    await server.context.dataSource.getRepository(CallbackRequest).update({ id: callbackId }, { status: "dialing", agentId: agent.id, attempts: 1, outboundCallSid: sid });
    expect(await checkAt(6), "still ringing at Twilio").to.deep.equal({ ...nothing, checked: 1, live: 1 });

    // Nobody answers; Twilio's status callback is lost.
    await twilio.ledger.record(sid, { status: "no-answer", durationSeconds: 0, endedAt: new Date() });
    expect(await checkAt(6)).to.deep.equal({ ...nothing, checked: 1, ended: 1, callbacksEnded: 1 });
    expect(await server.context.dataSource.getRepository(CallbackRequest).findOneByOrFail({ id: callbackId })).to.deep.include({ status: "pending", agentId: null, outboundCallSid: null, lastError: "no-answer", attempts: 1 });
    expect((await server.context.dataSource.getRepository(Agent).findOneByOrFail({ id: agent.id })).status).to.equal("available");
    expect(await checkAt(8), "a callback no longer dialling is not asked about").to.deep.equal(nothing);
  });
});
