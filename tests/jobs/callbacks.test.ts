import { expect } from "chai";
import twilio from "twilio";
import type { Queue } from "bullmq";
import { io as connect, type Socket } from "socket.io-client";
import { In } from "typeorm";
import { Agent } from "../../entities/Agent.js";
import { Call } from "../../entities/Call.js";
import { CallbackRequest } from "../../entities/CallbackRequest.js";
import { OutboxMessage } from "../../entities/OutboxMessage.js";
import type { Ticket } from "../../entities/Ticket.js";
import { TicketEvent } from "../../entities/TicketEvent.js";
import { CALLBACK_RETRY_DELAY_MS, callbackOutcomeRecorder, MAX_CALLBACK_ATTEMPTS } from "../../server/commands/callback-outcome-recorder.js";
import { callbackRequester } from "../../server/commands/callback-requester.js";
import { inTransaction } from "../../server/commands/transaction.js";
import { HttpError } from "../../server/errors/http-error.js";
import { callbackDialJob } from "../../server/jobs/callback-dial.js";
import { callbackDispatchJob } from "../../server/jobs/callback-dispatch.js";
import { jobQueues } from "../../server/jobs/queues.js";
import type { TwilioRestClient } from "../../server/twilio/client.js";
import type { SimulatedTwilioClient } from "../../server/twilio/simulated-client.js";
import type { CallbackClose, CallbackOffer } from "../../shared-types/socket-events.js";
import { findAll, parseTwiml } from "../../server/twilio/simulator.js";
import { startTestServer, TEST_AUTH_TOKEN, type TestServer } from "../support/app.js";
import { resetDatabase } from "../support/database.js";
import { createAgent, createCustomer, createPerson, createTicket, eventually } from "./fixtures.js";
import { deskFetch } from "../support/desk-fetch.js";

describe("queued callbacks", () => {
  let server: TestServer;
  let queue: Queue;
  let ticket: Ticket;
  const sockets: Socket[] = [];

  beforeEach(async () => {
    server = await startTestServer({}, { workers: true });
    await resetDatabase(server.context.dataSource);
    queue = jobQueues(server.context).get("callbacks");
    const { customer } = await createCustomer(server.context.dataSource);
    ticket = await createTicket(server.context.dataSource, { customerId: customer.id });
  });
  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.close();
    await server.close();
  });

  const repository = () => server.context.dataSource.getRepository(CallbackRequest);
  const request = (props: Partial<Parameters<typeof callbackRequester>[1]> = {}) =>
    callbackRequester(server.context, { callId: null, ticketId: ticket.id, phoneNumber: "0470 12 34 56", language: "nl", queuedAt: new Date("2026-03-02T09:00:00Z"), ...props });
  const accept = async (callbackId: number, cookie: string) => {
    const response = await deskFetch(`${server.url}/api/callbacks/${callbackId}/accept`, { method: "POST", headers: { cookie } });
    return { status: response.status, body: (await response.json()) as Record<string, any> };
  };
  const runJob = async (name: string, data: object, jobId: string) => {
    await queue.add(name, data, { jobId });
    await eventually(async () => ["completed", "failed"].includes(await queue.getJobState(jobId)), 5000, jobId);
  };
  const simulatedCalls = async () => (await (server.context.twilio as SimulatedTwilioClient).requests()).filter((entry) => entry.kind === "call");
  const eventTypes = async () => (await server.context.dataSource.getRepository(TicketEvent).find({ where: { ticketId: ticket.id }, order: { id: "ASC" } })).map((event) => event.type);
  const online = async (cookie: string) => {
    const socket = connect(server.url, { extraHeaders: { cookie }, transports: ["websocket"], reconnection: false });
    sockets.push(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once("connect", () => resolve());
      socket.once("connect_error", reject);
    });
    return socket;
  };

  it("refuses a callback number that is not a phone number, storing and announcing nothing", async () => {
    for (const phoneNumber of ["anonymous", "12", "", "+32 12", "0470 12 34 56; DROP TABLE"]) {
      const error = await request({ phoneNumber }).then(() => null, (e: unknown) => e);
      expect(error, phoneNumber).to.be.instanceOf(HttpError);
      expect(error).to.deep.include({ status: 400, id: "invalid_callback_number" });
      expect((error as HttpError).details).to.deep.equal({ field: "phoneNumber" });
    }
    expect(await repository().count()).to.equal(0);
    expect(await server.context.dataSource.getRepository(OutboxMessage).count()).to.equal(0);
  });

  it("stores the number in E.164 with the caller's place in the queue, once per call", async () => {
    const call = await server.context.dataSource.getRepository(Call).save({ callSid: "CA-callback-1", fromNumber: "+32470123456", toNumber: "+3232000000", direction: "inbound" });
    const first = await request({ callId: call.id });
    const retried = await request({ callId: call.id });
    expect(first.created).to.equal(true);
    expect(retried).to.deep.equal({ callbackId: first.callbackId, created: false });
    const stored = await repository().findOneByOrFail({ id: first.callbackId });
    expect(stored).to.include({ phoneNumber: "+32470123456", language: "nl", status: "pending", attempts: 0, callId: call.id });
    expect(stored.queuedAt.toISOString()).to.equal("2026-03-02T09:00:00.000Z");
    expect(await eventTypes()).to.deep.equal(["callback_requested"]);
  });

  it("offers waiting callbacks to available agents who speak the language, oldest first, as pops", async () => {
    const { agent: dutch, cookie } = await createAgent(server.context.dataSource, { languages: ["nl"], status: "away" });
    const { agent: french, cookie: frenchCookie } = await createAgent(server.context.dataSource, { languages: ["fr"], status: "away" });
    const offers: CallbackOffer[] = [];
    const frenchOffers: CallbackOffer[] = [];
    (await online(cookie)).on("callback:offer", (offer) => offers.push(offer));
    (await online(frenchCookie)).on("callback:offer", (offer) => frenchOffers.push(offer));

    const newer = await request({ queuedAt: new Date("2026-03-02T09:05:00Z"), phoneNumber: "+32470000002" });
    const older = await request({ queuedAt: new Date("2026-03-02T09:01:00Z"), phoneNumber: "+32470000001" });
    await runJob(callbackDispatchJob.name, {}, "dispatch-none");
    expect((await repository().find()).map((callback) => callback.status)).to.deep.equal(["pending", "pending"]);

    // With a speaker of the language available, only they get the offer (others only when nobody speaks it).
    await server.context.dataSource.getRepository(Agent).update({ id: In([dutch.id, french.id]) }, { status: "available" });
    await runJob(callbackDispatchJob.name, {}, "dispatch-some");
    expect((await repository().find({ order: { id: "ASC" } })).map((callback) => callback.status)).to.deep.equal(["offered", "offered"]);
    await eventually(async () => offers.length >= 2, 3000, "offers on the Dutch console");
    expect(offers.map((offer) => offer.id)).to.include.members([newer.callbackId, older.callbackId]);
    expect(offers[0]).to.include({ language: "nl", ticketId: ticket.id, ticketNumber: ticket.number, status: "offered" });
    expect(frenchOffers).to.deep.equal([]);

    // Nobody speaks German: every available agent is offered it.
    const german = await request({ language: "de", phoneNumber: "+32470000003" });
    await eventually(async () => frenchOffers.some((offer) => offer.id === german.callbackId), 3000, "the fallback offer");

    const list = await fetch(`${server.url}/api/callbacks`, { headers: { cookie } });
    const body = (await list.json()) as { callbacks: CallbackOffer[] };
    expect(body.callbacks.map((callback) => callback.id)).to.deep.equal([german.callbackId, older.callbackId, newer.callbackId]);
    expect(body.callbacks[1]).to.include({ phoneNumber: "+32470000001", queuedAt: "2026-03-02T09:01:00.000Z" });
  });

  it("hands a console the whole list of callbacks on offer to its agent when it asks (callback:sync)", async () => {
    const { cookie: dutchCookie } = await createAgent(server.context.dataSource, { languages: ["nl"], status: "available" });
    const { cookie: frenchCookie } = await createAgent(server.context.dataSource, { languages: ["fr"], status: "available" });
    const { cookie: awayCookie } = await createAgent(server.context.dataSource, { languages: ["nl"], status: "away" });
    // Stored without their outbox messages: nothing was pushed, the list comes from the database.
    const stored = async (language: "nl" | "de", queuedAt: string, status: "pending" | "offered" | "dialing") =>
      (await repository().save({ ticketId: ticket.id, phoneNumber: "+32470000009", language, queuedAt: new Date(queuedAt), status })).id;
    const newer = await stored("nl", "2026-03-02T09:05:00Z", "offered");
    const older = await stored("nl", "2026-03-02T09:01:00Z", "pending");
    const german = await stored("de", "2026-03-02T09:03:00Z", "pending");
    await stored("nl", "2026-03-02T09:00:00Z", "dialing");
    const sync = async (cookie: string) => ((await (await online(cookie)).timeout(3000).emitWithAck("callback:sync")) as { offers: CallbackOffer[] }).offers.map((offer) => offer.id);
    expect(await sync(dutchCookie), "the Dutch speaker: Dutch ones and German (nobody speaks it), oldest first").to.deep.equal([older, german, newer]);
    expect(await sync(frenchCookie), "the French speaker: only the German one").to.deep.equal([german]);
    expect(await sync(awayCookie), "an agent who is not available is offered nothing").to.deep.equal([]);
  });

  it("places the outbound call on accept, bridged to the agent; a second accept is a 409", async () => {
    const { agent, cookie } = await createAgent(server.context.dataSource, { languages: ["nl"], status: "available" });
    const { cookie: lateCookie } = await createAgent(server.context.dataSource, { languages: ["nl"], status: "available", name: "Late" });
    const closes: CallbackClose[] = [];
    (await online(lateCookie)).on("callback:closed", (close) => closes.push(close));
    const { callbackId } = await request();

    const accepted = await accept(callbackId, cookie);
    expect(accepted.status).to.equal(202);
    expect(accepted.body.callback).to.include({ id: callbackId, status: "dialing", agentId: agent.id, attempts: 1 });
    const [placed] = await eventually(async () => ((await simulatedCalls()).length ? simulatedCalls() : null), 5000, "the outbound call");
    expect(placed!.params).to.deep.include({
      to: "+32470123456",
      from: server.context.env.DESK_PHONE_NUMBER,
      url: `${server.context.baseUrl}/twilio/callback-bridge?callbackId=${callbackId}&agentId=${agent.id}`,
    });
    expect(placed!.params.statusCallback).to.equal(`${server.context.baseUrl}/twilio/callback-status?callbackId=${callbackId}`);
    await eventually(async () => (await repository().findOneByOrFail({ id: callbackId })).outboundCallSid === placed!.sid, 3000, "the CallSid recorded");

    // When the person answers, Twilio fetches the bridge URL (the IVR's router): it dials the accepting agent.
    const bridgeParams = { CallSid: placed!.sid!, From: server.context.env.DESK_PHONE_NUMBER, To: "+32470123456", Direction: "outbound-api" };
    const bridge = await fetch(placed!.params.url!, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": twilio.getExpectedTwilioSignature(TEST_AUTH_TOKEN, placed!.params.url!, bridgeParams) },
      body: new URLSearchParams(bridgeParams),
    });
    expect(bridge.status).to.equal(200);
    expect(findAll(parseTwiml(await bridge.text()), "Client").map((node) => node.text)).to.deep.equal([`agent-${agent.id}`]);
    expect((await server.context.dataSource.getRepository(Agent).findOneByOrFail({ id: agent.id })).status).to.equal("on_call");

    const late = await accept(callbackId, lateCookie);
    expect(late.status).to.equal(409);
    expect(late.body.error).to.include({ id: "callback_taken" });
    expect(late.body.error.message).to.contain(agent.name);
    await eventually(async () => closes.some((close) => close.callbackId === callbackId && close.acceptedBy?.id === agent.id), 3000, "the offer closed");

    // Twilio reports the end of the outbound call on its status callback (signed like every webhook).
    const statusParams = { CallSid: placed!.sid!, CallStatus: "completed", CallDuration: "95", Direction: "outbound-api" };
    const statusUrl = placed!.params.statusCallback!;
    const status = await fetch(statusUrl, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": twilio.getExpectedTwilioSignature(TEST_AUTH_TOKEN, statusUrl, statusParams) },
      body: new URLSearchParams(statusParams),
    });
    expect(status.status).to.equal(200);
    expect(parseTwiml(await status.text()).name).to.equal("Response");
    expect(await repository().findOneByOrFail({ id: callbackId })).to.include({ status: "completed" });
    expect((await server.context.dataSource.getRepository(Agent).findOneByOrFail({ id: agent.id })).status).to.equal("wrap_up");
    expect(await eventTypes()).to.deep.equal(["callback_requested", "callback_accepted", "callback_dialed", "callback_completed"]);
    expect(await simulatedCalls()).to.have.length(1);
  });

  it("waits the retry delay after an unanswered call, offers it again, and gives up after the last attempt", async () => {
    const { agent, cookie } = await createAgent(server.context.dataSource, { languages: ["nl"], status: "available" });
    const { callbackId } = await request();
    for (let attempt = 1; attempt <= MAX_CALLBACK_ATTEMPTS; attempt++) {
      await server.context.dataSource.getRepository(Agent).update({ id: agent.id }, { status: "available" });
      expect((await accept(callbackId, cookie)).status, `accept ${attempt}`).to.equal(202);
      const sid = await eventually(async () => (await repository().findOneByOrFail({ id: callbackId })).outboundCallSid, 5000, `call ${attempt}`);
      const outcome = await callbackOutcomeRecorder(server.context, { callbackId, callSid: sid, callStatus: "no-answer" });
      expect((await callbackOutcomeRecorder(server.context, { callbackId, callSid: sid, callStatus: "no-answer" })).changed, "a repeated status callback").to.equal(false);
      if (attempt < MAX_CALLBACK_ATTEMPTS) {
        expect(outcome.status).to.equal("pending");
        expect(await repository().findOneByOrFail({ id: callbackId })).to.include({ attempts: attempt, lastError: "no-answer", agentId: null });
        expect((await server.context.dataSource.getRepository(Agent).findOneByOrFail({ id: agent.id })).status).to.equal("available");
        const retry = await eventually(() => queue.getJob(`callback-retry-${callbackId}-${attempt}`), 3000, "the retry job");
        expect(await retry.getState()).to.equal("delayed");
        expect(retry.delay).to.equal(CALLBACK_RETRY_DELAY_MS);
        // The periodic dispatch leaves it alone during its delay...
        await runJob(callbackDispatchJob.name, {}, `dispatch-rest-${attempt}`);
        expect((await repository().findOneByOrFail({ id: callbackId })).status).to.equal("pending");
        // ...and the retry job offers it again when the delay is over.
        await retry.promote();
        await eventually(async () => (await repository().findOneByOrFail({ id: callbackId })).status === "offered", 3000, "offered again");
      } else {
        expect(outcome.status).to.equal("failed");
      }
    }
    expect(await simulatedCalls()).to.have.length(MAX_CALLBACK_ATTEMPTS);
    expect((await eventTypes()).filter((type) => type.startsWith("callback_attempt_failed") || type === "callback_failed")).to.deep.equal(["callback_attempt_failed", "callback_attempt_failed", "callback_failed"]);
    const alerts = (await server.context.dataSource.getRepository(OutboxMessage).findBy({ topic: "supervisor.alert" })).map((row) => row.payload);
    expect(alerts).to.deep.equal([{ kind: "callback_failed", ticketId: ticket.id, message: `Callback for ticket ${ticket.number} (+32470123456) failed after 3 attempts.` }]);
  });

  it("retries the dial with back-off when Twilio's API fails, placing the call once", async () => {
    expect(callbackDialJob.options).to.deep.include({ attempts: 4, backoff: { type: "exponential", delay: 3000 } });
    const { agent } = await createAgent(server.context.dataSource, { status: "on_call" });
    const { callbackId } = await request();
    await repository().update({ id: callbackId }, { status: "dialing", agentId: agent.id, attempts: 1 });
    const real = server.context.twilio;
    let failures = 2;
    server.context.twilio = Object.assign(Object.create(real), {
      createCall: async (call: Parameters<TwilioRestClient["createCall"]>[0]) => {
        if (failures-- > 0) throw new Error("Twilio API 503");
        return real.createCall(call);
      },
    }) as TwilioRestClient;
    try {
      await queue.add(callbackDialJob.name, { callbackId, attempt: 1 }, { jobId: "dial-flaky", attempts: 4, backoff: { type: "exponential", delay: 50 } });
      await eventually(async () => (await queue.getJobState("dial-flaky")) === "completed", 5000, "the dial");
      const job = (await queue.getJob("dial-flaky"))!;
      expect(job.attemptsMade).to.equal(3);
      expect(await simulatedCalls()).to.have.length(1);
      expect((await repository().findOneByOrFail({ id: callbackId })).outboundCallSid).to.equal((await simulatedCalls())[0]!.sid);

      // Once the retries are spent, the attempt is recorded as failed and the callback waits for a retry.
      const second = await request({ phoneNumber: "+32470999999" });
      await repository().update({ id: second.callbackId }, { status: "dialing", agentId: agent.id, attempts: 1 });
      failures = 100;
      await queue.add(callbackDialJob.name, { callbackId: second.callbackId, attempt: 1 }, { jobId: "dial-down", attempts: 2, backoff: { type: "fixed", delay: 50 } });
      await eventually(async () => (await queue.getJobState("dial-down")) === "failed", 5000, "the dial to fail");
      expect(await repository().findOneByOrFail({ id: second.callbackId })).to.include({ status: "pending", lastError: "dial error: Twilio API 503", outboundCallSid: null });
    } finally {
      server.context.twilio = real;
    }
  });

  it("turns a voicemail into a ticket event and a callback request, once", async () => {
    const call = await server.context.dataSource.getRepository(Call).save({
      callSid: "CA-voicemail-1", fromNumber: "+32 3 123 45 67", fromE164: "+3231234567", toNumber: "+3232000000", direction: "inbound",
      language: "fr", ticketId: ticket.id, outcome: "voicemail", recordingUrl: "https://api.twilio.com/recordings/RE1", queuedAt: new Date("2026-03-01T20:00:00Z"),
    });
    await inTransaction(server.context, (tx) => tx.record("voicemail.recorded", { callId: call.id, ticketId: ticket.id }));
    const callback = await eventually(() => repository().findOneBy({ callId: call.id }), 5000, "the callback");
    expect(callback).to.include({ phoneNumber: "+3231234567", language: "fr", ticketId: ticket.id });
    expect(callback.queuedAt.toISOString()).to.equal("2026-03-01T20:00:00.000Z");
    await runJob("voicemail", { callId: call.id, ticketId: ticket.id }, "voicemail-again");
    expect(await repository().countBy({ callId: call.id })).to.equal(1);
    const voicemails = await server.context.dataSource.getRepository(TicketEvent).findBy({ ticketId: ticket.id, type: "voicemail_received" });
    expect(voicemails.map((event) => event.data)).to.deep.equal([{ callId: call.id, recordingUrl: "https://api.twilio.com/recordings/RE1", from: "+3231234567" }]);
  });

  it("refuses to accept for an agent who is not available, or a finished callback", async () => {
    const { cookie } = await createAgent(server.context.dataSource, { status: "away" });
    const { callbackId } = await request();
    const away = await accept(callbackId, cookie);
    expect(away.status).to.equal(409);
    expect(away.body.error.id).to.equal("agent_not_available");
    await repository().update({ id: callbackId }, { status: "completed" });
    const { cookie: availableCookie } = await createAgent(server.context.dataSource, { status: "available" });
    const done = await accept(callbackId, availableCookie);
    expect(done.status).to.equal(409);
    expect(done.body.error).to.include({ id: "callback_closed", status: "completed" });
    expect((await accept(999999, availableCookie)).status).to.equal(404);
  });
});
