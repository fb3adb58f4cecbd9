import { expect } from "chai";
import { flowUrls } from "../../../ivr-flows/urls.js";
import { prompt } from "../../../ivr-flows/prompts/index.js";
import { startTestServer, type TestServer } from "../../support/app.js";
import { testDataSource } from "../../support/database.js";
import { IvrFixtures, OPEN_NOW } from "../../ivr/fixtures.js";
import { registerSoftphone } from "../../support/softphone.js";

async function json(response: Response) {
  return { status: response.status, body: await response.json() };
}
const post = (url: string, body: unknown = {}) => fetch(url, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });

describe("phone simulator API (/sim, simulation only)", () => {
  let server: TestServer;
  let fx: IvrFixtures;
  beforeEach(async () => {
    server = await startTestServer();
    server.context.now = () => OPEN_NOW;
    fx = new IvrFixtures(await testDataSource());
  });
  afterEach(async () => server.close());

  it("places a call, presses keys, follows an agent's accept and hangs up, keeping the call in Redis between requests", async () => {
    const { customer } = await fx.customer();
    const { phone } = await fx.person(customer, { firstName: "Lien", language: "nl" });
    const agent = await fx.agent();
    const softphone = await registerSoftphone(server.url, { server, agentId: agent.id });

    const started = await json(await post(`${server.url}/sim/calls`, { from: phone }));
    expect(started.status).to.equal(201);
    expect(started.body.waitingFor).to.equal("keys");
    expect(started.body.heard[0]).to.deep.include({ kind: "say", text: prompt("nl", "welcome", { name: "Lien" }), language: "nl-BE" });
    const sid = started.body.callSid;
    // The simulated Twilio knows the call (the call status check asks it), as the real one would.
    expect(await server.context.twilio.fetchCall(sid)).to.deep.include({ status: "in-progress", endedAt: null });

    const queued = await json(await post(`${server.url}/sim/calls/${sid}/press`, { digits: "1" }));
    expect(queued.body).to.include({ waitingFor: "queue", queue: "desk-nl", queueKeys: true });

    await server.context.twilio.redirectQueueMember({ queueName: "desk-nl", callSid: sid, url: flowUrls(server.context.baseUrl).connectAgent(agent.id) });
    const ringing = await json(await fetch(`${server.url}/sim/calls/${sid}`));
    expect(ringing.body).to.include({ waitingFor: "agent", connectedTo: null, ringing: `client:agent-${agent.id}` });
    // The agent's softphone answers; the next look at the call finds it connected.
    const ring = await softphone.ringOf(sid);
    expect(await softphone.answer(ring.dialCallSid)).to.deep.equal({ ok: true });
    const connected = await json(await fetch(`${server.url}/sim/calls/${sid}`));
    expect(connected.body).to.include({ waitingFor: "agent", connectedTo: `client:agent-${agent.id}`, ringing: null });
    softphone.close();

    const ended = await json(await post(`${server.url}/sim/calls/${sid}/hangup`));
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
    const sid = (await json(await post(`${server.url}/sim/calls`, { from: phone }))).body.callSid;
    await post(`${server.url}/sim/calls/${sid}/press`, { digits: "1" });
    expect((await post(`${server.url}/sim/calls/${sid}/dial/answer`)).status, "nothing dialled yet").to.equal(404);
    await server.context.twilio.redirectQueueMember({ queueName: "desk-nl", callSid: sid, url: flowUrls(server.context.baseUrl).connectAgent(agent.id) });
    const ringing = await json(await fetch(`${server.url}/sim/calls/${sid}`));
    expect(ringing.body).to.include({ waitingFor: "agent", ringing: "number:+32475000111", connectedTo: null });
    expect((await post(`${server.url}/sim/calls/${sid}/dial/hangup`)).status, "nobody to hang up yet").to.equal(404);
    expect((await post(`${server.url}/sim/calls/${sid}/dial/pickup`)).status).to.equal(400);
    const answered = await json(await post(`${server.url}/sim/calls/${sid}/dial/answer`));
    expect(answered.body).to.include({ connectedTo: "number:+32475000111", ringing: null });
    const ended = await json(await post(`${server.url}/sim/calls/${sid}/dial/hangup`));
    expect(ended.body.status).to.equal("ended");
    const events = (await fx.events(sid)).map((event) => [event.type, (event.data as { dialCallStatus?: string }).dialCallStatus]);
    expect(events).to.deep.include(["agent_dial_ended", "completed"]);
  });

  it("answers clear 400s and 404s for bad keys, unknown calls and actions that do not apply", async () => {
    const started = await json(await post(`${server.url}/sim/calls`, { from: "anonymous" }));
    const sid = started.body.callSid;
    expect((await post(`${server.url}/sim/calls/${sid}/press`, { digits: "12a" })).status).to.equal(400);
    expect((await post(`${server.url}/sim/calls`, {})).status).to.equal(400);
    expect((await fetch(`${server.url}/sim/calls/CA${"0".repeat(32)}`)).status).to.equal(404);
    expect((await fetch(`${server.url}/sim/calls/not-a-sid`)).status).to.equal(400);
    expect((await post(`${server.url}/sim/calls/${sid}/message`, { seconds: 5 })).status).to.equal(404);
    const silent = await json(await post(`${server.url}/sim/calls/${sid}/silence`));
    expect(silent.status).to.equal(200);
  });

  it("does not exist when a Twilio account is configured", async () => {
    const live = await startTestServer({ TWILIO_ACCOUNT_SID: `AC${"1".repeat(32)}` });
    try {
      expect((await post(`${live.url}/sim/calls`, { from: "anonymous" })).status).to.equal(404);
    } finally {
      await live.close();
    }
  });
});
