import { expect } from "chai";
import { flowUrls } from "../../../ivr-flows/urls.js";
import { prompt } from "../../../ivr-flows/prompts/index.js";
import { startTestServer, type TestServer } from "../../support/app.js";
import { deskFetch } from "../../support/desk-fetch.js";
import { testDataSource } from "../../support/database.js";
import { IvrFixtures, OPEN_NOW } from "../../ivr/fixtures.js";
import { registerSoftphone } from "../../support/softphone.js";
import { simClient, type SimClient } from "./helpers.js";

async function json(response: Response) {
  return { status: response.status, body: await response.json() };
}

describe("phone simulator API (/sim, simulation only, behind a desk login)", () => {
  let server: TestServer;
  let fx: IvrFixtures;
  let sim: SimClient;
  beforeEach(async () => {
    server = await startTestServer();
    server.context.now = () => OPEN_NOW;
    fx = new IvrFixtures(await testDataSource());
    sim = await simClient(server);
  });
  afterEach(async () => server.close());

  it("places a call, presses keys, follows an agent's accept and hangs up, keeping the call in Redis between requests", async () => {
    const { customer } = await fx.customer();
    const { phone } = await fx.person(customer, { firstName: "Lien", language: "nl" });
    const agent = await fx.agent();
    const softphone = await registerSoftphone(server.url, { server, agentId: agent.id });

    const started = await json(await sim.post(`/sim/calls`, { from: phone }));
    expect(started.status).to.equal(201);
    expect(started.body.waitingFor).to.equal("keys");
    expect(started.body.heard[0]).to.deep.include({ kind: "say", text: prompt("nl", "welcome", { name: "Lien" }), language: "nl-BE" });
    const sid = started.body.callSid;
    // The simulated Twilio knows the call (the call status check asks it), as the real one would.
    expect(await server.context.twilio.fetchCall(sid)).to.deep.include({ status: "in-progress", endedAt: null });

    const queued = await json(await sim.post(`/sim/calls/${sid}/press`, { digits: "1" }));
    expect(queued.body).to.include({ waitingFor: "queue", queue: "desk-nl", queueKeys: true });

    await server.context.twilio.redirectQueueMember({ queueName: "desk-nl", callSid: sid, url: flowUrls(server.context.baseUrl).connectAgent(agent.id) });
    const ringing = await json(await sim.get(`/sim/calls/${sid}`));
    expect(ringing.body).to.include({ waitingFor: "agent", connectedTo: null, ringing: `client:agent-${agent.id}` });
    // The agent's softphone answers; the next look at the call finds it connected.
    const ring = await softphone.ringOf(sid);
    expect(await softphone.answer(ring.dialCallSid)).to.deep.equal({ ok: true });
    const connected = await json(await sim.get(`/sim/calls/${sid}`));
    expect(connected.body).to.include({ waitingFor: "agent", connectedTo: `client:agent-${agent.id}`, ringing: null });
    softphone.close();

    const ended = await json(await sim.post(`/sim/calls/${sid}/hangup`));
    expect(ended.body.status).to.equal("ended");
    expect((await fx.call(sid)).outcome).to.equal("answered");
    const record = await server.context.twilio.fetchCall(sid);
    expect(record?.status).to.equal("completed");
    expect(record?.endedAt).to.be.instanceOf(Date);
    expect(await server.context.twilio.fetchCall("CA00000000000000000000000000000000"), "a call it never placed").to.equal(null);
  });

  it("rings an agent's phone (<Number>) until the simulator page answers it; then hangs up after talking", async () => {
    const { customer } = await fx.customer();
    const { phone } = await fx.person(customer, { firstName: "Lien", language: "nl" });
    const agent = await fx.agent({ phoneNumber: "+32475000111" });
    const sid = (await json(await sim.post(`/sim/calls`, { from: phone }))).body.callSid;
    await sim.post(`/sim/calls/${sid}/press`, { digits: "1" });
    expect((await sim.post(`/sim/calls/${sid}/dial/answer`)).status, "nothing dialled yet").to.equal(404);
    await server.context.twilio.redirectQueueMember({ queueName: "desk-nl", callSid: sid, url: flowUrls(server.context.baseUrl).connectAgent(agent.id) });
    const ringing = await json(await sim.get(`/sim/calls/${sid}`));
    expect(ringing.body).to.include({ waitingFor: "agent", ringing: "number:+32475000111", connectedTo: null });
    expect((await sim.post(`/sim/calls/${sid}/dial/hangup`)).status, "nobody to hang up yet").to.equal(404);
    expect((await sim.post(`/sim/calls/${sid}/dial/pickup`)).status).to.equal(400);
    const answered = await json(await sim.post(`/sim/calls/${sid}/dial/answer`));
    expect(answered.body).to.include({ connectedTo: "number:+32475000111", ringing: null });
    const ended = await json(await sim.post(`/sim/calls/${sid}/dial/hangup`));
    expect(ended.body.status).to.equal("ended");
    const events = (await fx.events(sid)).map((event) => [event.type, (event.data as { dialCallStatus?: string }).dialCallStatus]);
    expect(events).to.deep.include(["agent_dial_ended", "completed"]);
  });

  it("answers clear 400s and 404s for bad keys, unknown calls and actions that do not apply", async () => {
    const started = await json(await sim.post(`/sim/calls`, { from: "anonymous" }));
    const sid = started.body.callSid;
    expect((await sim.post(`/sim/calls/${sid}/press`, { digits: "12a" })).status).to.equal(400);
    expect((await sim.post(`/sim/calls`, {})).status).to.equal(400);
    expect((await sim.get(`/sim/calls/CA${"0".repeat(32)}`)).status).to.equal(404);
    expect((await sim.get(`/sim/calls/not-a-sid`)).status).to.equal(400);
    expect((await sim.post(`/sim/calls/${sid}/message`, { seconds: 5 })).status).to.equal(404);
    const silent = await json(await sim.post(`/sim/calls/${sid}/silence`));
    expect(silent.status).to.equal(200);
  });

  it("does not exist when a Twilio account is configured, nor with a real auth token and no account", async () => {
    for (const overrides of [{ TWILIO_ACCOUNT_SID: `AC${"1".repeat(32)}` }, { TWILIO_AUTH_TOKEN: "a-real-accounts-auth-token" }] as Record<string, string>[]) {
      const other = await startTestServer(overrides);
      try {
        const client = await simClient(other);
        expect((await client.post("/sim/calls", { from: "anonymous" })).status, JSON.stringify(overrides)).to.equal(404);
        expect((await client.get("/sim/config")).status, JSON.stringify(overrides)).to.equal(404);
      } finally {
        await other.close();
      }
    }
  });

  it("answers 401 without a desk login and places no call", async () => {
    const before = await server.context.redis.keys(`${server.context.env.REDIS_PREFIX}:twilio-sim:call:*`);
    const anonymous = await deskFetch(`${server.url}/sim/calls`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ from: "anonymous" }) });
    expect(anonymous.status).to.equal(401);
    expect((await deskFetch(`${server.url}/sim/config`)).status).to.equal(401);
    expect((await deskFetch(`${server.url}/sim/calls`, { method: "POST", headers: { cookie: "sd_session=made-up", "content-type": "application/json" }, body: "{}" })).status).to.equal(401);
    expect(await server.context.redis.keys(`${server.context.env.REDIS_PREFIX}:twilio-sim:call:*`)).to.deep.equal(before);
  });

  it("refuses a call placed from another origin (403) or with a body that is not JSON (415)", async () => {
    const foreign = await fetch(`${server.url}/sim/calls`, { method: "POST", headers: { cookie: sim.cookie, origin: "http://127.0.0.1:1", "content-type": "application/json" }, body: JSON.stringify({ from: "anonymous" }) });
    expect(foreign.status).to.equal(403);
    expect((await foreign.json()).error.id).to.equal("foreign_origin");
    const text = await deskFetch(`${server.url}/sim/calls`, { method: "POST", headers: { cookie: sim.cookie, "content-type": "text/plain" }, body: JSON.stringify({ from: "anonymous" }) });
    expect(text.status).to.equal(415);
    expect((await text.json()).error).to.include({ id: "unsupported_media_type", field: "content-type" });
  });

  it("counts its requests under the API rate limit (429 past it)", async () => {
    const limited = await startTestServer({ API_RATE_LIMIT_PER_MINUTE: "5" });
    try {
      const client = await simClient(limited);
      const statuses: number[] = [];
      for (let i = 0; i < 8; i++) statuses.push((await client.get("/sim/config")).status);
      expect(statuses.slice(0, 4)).to.deep.equal([200, 200, 200, 200]);
      expect(statuses.at(-1)).to.equal(429);
    } finally {
      await limited.close();
    }
  });
});
