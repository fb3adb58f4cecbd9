import { expect } from "chai";
import { CallEvent } from "../../../entities/CallEvent.js";
import { CallbackRequest } from "../../../entities/CallbackRequest.js";
import { Ticket } from "../../../entities/Ticket.js";
import { prompt } from "../../../ivr-flows/prompts/index.js";
import { spacedDigits } from "../../../ivr-flows/speak.js";
import { flowUrls } from "../../../ivr-flows/urls.js";
import { openSession } from "../../../server/auth/sessions.js";
import { findAll, parseTwiml, TwilioSimulator, waitForRedirect } from "../../../server/twilio/simulator.js";
import { startTestServer, type TestServer } from "../../support/app.js";
import { registerSoftphone } from "../../support/softphone.js";
import { callParams, DESK, IvrFixtures, newCallSid, OPEN_NOW, signedPost, startIvrBed } from "../../ivr/fixtures.js";

describe("bridging callers to agents (connect-agent, callback bridge, Voice SDK token)", () => {
  let server: TestServer;
  let fx: IvrFixtures;
  let sim: TwilioSimulator;

  beforeEach(async () => {
    ({ server, fx, sim } = await startIvrBed());
  });
  afterEach(async () => server.close());

  async function queuedCall(language: "nl" | "fr" = "nl") {
    const { customer } = await fx.customer();
    const { phone } = await fx.person(customer, { language });
    const call = await sim.start({ from: phone!, to: DESK });
    await sim.press(call, "1");
    expect(call.status).to.equal("queue");
    return call;
  }

  it("follows the simulated queue-member redirect of an accept and dials the agent's browser client, which answers", async () => {
    const agent = await fx.agent();
    const softphone = await registerSoftphone(server.url, { server, agentId: agent.id });
    const call = await queuedCall("fr");
    const stored = await fx.call(call.callSid);
    await fx.dataSource.query(`UPDATE calls SET acceptedByAgentId = ? WHERE id = ?`, [agent.id, stored.id]);
    server.context.now = () => new Date(OPEN_NOW.getTime() + 42_000);
    const redirect = waitForRedirect(server.context.redis, server.context.env.REDIS_PREFIX, call.callSid, 2000);
    await server.context.twilio.redirectQueueMember({ queueName: "desk-fr", callSid: call.callSid, url: flowUrls(server.context.baseUrl).connectAgent(agent.id) });
    const url = await redirect;
    expect(url).to.equal(`${server.url}/twilio/connect-agent?agentId=${agent.id}`);
    await sim.redirect(call, url!);
    expect(call.dial?.to).to.equal(`client:agent-${agent.id}`);
    await softphone.pickUp(sim, call);
    expect(call.connectedTo).to.equal(`client:agent-${agent.id}`);
    expect(TwilioSimulator.said(call).at(-1)).to.equal(prompt("fr", "connectingAgent"));
    const answered = await fx.call(call.callSid);
    expect(answered).to.include({ outcome: "answered", waitSeconds: 42 });
    await sim.hangup(call);
    expect((await fx.call(call.callSid)).outcome).to.equal("answered");
    softphone.close();
  });

  it("dials the agent's phone number, with the desk's number as caller ID, when the agent has one", async () => {
    const agent = await fx.agent({ phoneNumber: "+32475000111" });
    const call = await queuedCall();
    const response = await signedPost(`${server.url}/twilio/connect-agent?agentId=${agent.id}`, callParams(call.callSid, call.from));
    const dial = findAll(parseTwiml(response.body), "Dial")[0]!;
    expect(dial.attrs.callerId).to.equal(DESK);
    expect(dial.children.map((node) => [node.name, node.text])).to.deep.equal([["Number", "+32475000111"]]);
  });

  it("puts the caller back in the general queue when the accepting agent does not exist", async () => {
    const call = await queuedCall();
    const response = await signedPost(`${server.url}/twilio/connect-agent?agentId=999999&lang=nl`, callParams(call.callSid, call.from));
    expect(findAll(parseTwiml(response.body), "Enqueue")[0]!.text).to.equal("desk-general");
  });

  it("greets the person of an outbound callback in their language with the ticket number, then dials the agent", async () => {
    const agent = await fx.agent();
    const { customer } = await fx.customer();
    const { person } = await fx.person(customer, { language: "de" });
    const ticket = await fx.dataSource.getRepository(Ticket).save({ number: "2026-004711", contactType: "question", customerId: customer.id, reporterId: person.id, language: "de" });
    const callback = await fx.dataSource.getRepository(CallbackRequest).save({ phoneNumber: "+32479000222", language: "de", queuedAt: OPEN_NOW, ticketId: ticket.id, status: "dialing" });
    const response = await signedPost(`${server.url}/twilio/callback-bridge?callbackId=${callback.id}&agentId=${agent.id}`, callParams(newCallSid(), DESK));
    const twiml = parseTwiml(response.body);
    const sayNode = findAll(twiml, "Say")[0]!;
    expect(sayNode.text).to.equal(prompt("de", "callbackBridge", { number: spacedDigits("2026-004711") }));
    expect(sayNode.attrs.language).to.equal("de-DE");
    expect(findAll(twiml, "Client")[0]!.text).to.equal(`agent-${agent.id}`);
    const unknown = parseTwiml((await signedPost(`${server.url}/twilio/callback-bridge?callbackId=999999&agentId=${agent.id}`, callParams(newCallSid(), DESK))).body);
    expect(findAll(unknown, "Hangup")).to.have.length(1);
  });

  it("dials the agent with an action and a timeout; a missed dial puts the caller back in their queue, frees the call, sets the agent missed", async () => {
    const agent = await fx.agent();
    const call = await queuedCall("fr");
    const stored = await fx.call(call.callSid);
    await fx.dataSource.query(`UPDATE calls SET acceptedByAgentId = ? WHERE id = ?`, [agent.id, stored.id]);
    await fx.dataSource.query(`UPDATE agents SET status = 'on_call' WHERE id = ?`, [agent.id]);
    await fx.dataSource.getRepository(CallEvent).insert({ callId: stored.id, type: "accepted", dedupeKey: "accepted", data: { agentId: agent.id } });
    const connected = parseTwiml((await signedPost(`${server.url}/twilio/connect-agent?agentId=${agent.id}&lang=fr`, callParams(call.callSid, call.from))).body);
    const dial = findAll(connected, "Dial")[0]!;
    expect(dial.attrs).to.include({ action: flowUrls(server.context.baseUrl).dialAction(agent.id, "fr"), method: "POST", timeout: "20" });
    expect((await fx.call(call.callSid)).outcome).to.equal("answered");

    const missed = await signedPost(`${server.url}/twilio/dial-action?agentId=${agent.id}&lang=fr`, callParams(call.callSid, call.from, { DialCallStatus: "no-answer" }));
    expect(missed.status).to.equal(200);
    const twiml = parseTwiml(missed.body);
    expect(findAll(twiml, "Say")[0]!.text).to.equal(prompt("fr", "agentMissed"));
    const enqueue = findAll(twiml, "Enqueue")[0]!;
    expect(enqueue.text).to.equal("desk-fr");
    const urls = flowUrls(server.context.baseUrl);
    expect(enqueue.attrs).to.include({ waitUrl: urls.queueWait("fr", true), action: urls.queueExit("fr") });

    const freed = await fx.call(call.callSid);
    expect(freed).to.include({ acceptedByAgentId: null, answeredAt: null, outcome: "queued", queueName: "desk-fr" });
    const [row] = (await fx.dataSource.query(`SELECT status FROM agents WHERE id = ?`, [agent.id])) as { status: string }[];
    expect(row!.status).to.equal("missed");
    const events = (await fx.dataSource.query(`SELECT type FROM call_events WHERE callId = ? ORDER BY id`, [stored.id])) as { type: string }[];
    expect(events.map((e) => e.type)).to.include("agent_missed");
    // The missed accept's event no longer holds the "accepted" key: the call can be accepted again.
    expect(await fx.dataSource.query(`SELECT id FROM call_events WHERE callId = ? AND dedupeKey = 'accepted'`, [stored.id])).to.have.length(0);
    // Accepted again by the same agent: connect-agent dials them anew and the call is answered again.
    await fx.dataSource.query(`UPDATE calls SET acceptedByAgentId = ? WHERE id = ?`, [agent.id, stored.id]);
    await signedPost(`${server.url}/twilio/connect-agent?agentId=${agent.id}&lang=fr`, callParams(call.callSid, call.from));
    expect((await fx.call(call.callSid)).outcome).to.equal("answered");
    const released = (await fx.dataSource.query(`SELECT topic FROM outbox_messages WHERE topic = 'call.released'`)) as unknown[];
    expect(released).to.have.length(1);
  });

  it("hangs up when the agent's dial completed (they talked)", async () => {
    const agent = await fx.agent();
    const call = await queuedCall();
    const response = await signedPost(`${server.url}/twilio/dial-action?agentId=${agent.id}&lang=nl`, callParams(call.callSid, call.from, { DialCallStatus: "completed" }));
    const twiml = parseTwiml(response.body);
    expect(findAll(twiml, "Hangup")).to.have.length(1);
    expect(findAll(twiml, "Enqueue")).to.have.length(0);
  });

  describe("GET /api/voice/token", () => {
    it("asks for a login without a session", async () => {
      const response = await fetch(`${server.url}/api/voice/token`);
      expect(response.status).to.equal(401);
    });

    it("answers 503 with a clear message while browser calling is not configured", async () => {
      const agent = await fx.agent();
      const { token } = await openSession(fx.dataSource, agent.id, 1);
      const response = await fetch(`${server.url}/api/voice/token`, { headers: { cookie: `sd_session=${token}` } });
      expect(response.status).to.equal(503);
      const body = await response.json();
      expect(body.error.id).to.equal("voice_not_configured");
      expect(body.error.message).to.contain("TWILIO_API_KEY_SID");
    });

    it("issues an AccessToken with a VoiceGrant for identity agent-<id> when configured", async () => {
      const configured = await startTestServer({
        TWILIO_ACCOUNT_SID: `AC${"1".repeat(32)}`,
        TWILIO_API_KEY_SID: `SK${"2".repeat(32)}`,
        TWILIO_API_KEY_SECRET: "secret-of-the-api-key",
        TWILIO_TWIML_APP_SID: `AP${"3".repeat(32)}`,
      });
      try {
        const agent = await fx.agent();
        const { token } = await openSession(fx.dataSource, agent.id, 1);
        const response = await fetch(`${configured.url}/api/voice/token`, { headers: { cookie: `sd_session=${token}` } });
        expect(response.status).to.equal(200);
        const body = await response.json();
        expect(body.identity).to.equal(`agent-${agent.id}`);
        const payload = JSON.parse(Buffer.from(body.token.split(".")[1], "base64url").toString());
        expect(payload.grants.identity).to.equal(`agent-${agent.id}`);
        expect(payload.grants.voice.outgoing.application_sid).to.equal(`AP${"3".repeat(32)}`);
        expect(payload.grants.voice.incoming.allow).to.equal(true);
      } finally {
        await configured.close();
      }
    });
  });
});
