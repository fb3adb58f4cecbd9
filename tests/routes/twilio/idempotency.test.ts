import { expect } from "chai";
import { Call } from "../../../entities/Call.js";
import { CallbackRequest } from "../../../entities/CallbackRequest.js";
import { Ticket } from "../../../entities/Ticket.js";
import { findAll, parseTwiml } from "../../../server/twilio/simulator.js";
import { startTestServer, type TestServer } from "../../support/app.js";
import { testDataSource } from "../../support/database.js";
import { callParams, IvrFixtures, newCallSid, OPEN_NOW, outboxFor, signedPost } from "../../ivr/fixtures.js";

/** The URL the caller's next answer goes to (the first <Gather action>). */
const gatherAction = (xml: string) => findAll(parseTwiml(xml), "Gather")[0]!.attrs.action!;

describe("IVR idempotency under retried webhooks (R10)", () => {
  let server: TestServer;
  let fx: IvrFixtures;

  beforeEach(async () => {
    server = await startTestServer();
    server.context.now = () => OPEN_NOW;
    fx = new IvrFixtures(await testDataSource());
  });
  afterEach(async () => server.close());

  async function knownCaller() {
    const { customer } = await fx.customer();
    const { person, phone } = await fx.person(customer, { language: "nl" });
    return { person, phone: phone! };
  }

  it("answers a retried Voice URL webhook with the same TwiML and keeps one call and one start event", async () => {
    const { phone } = await knownCaller();
    const callSid = newCallSid();
    const first = await signedPost(`${server.url}/twilio/voice`, callParams(callSid, phone, { CallStatus: "ringing" }));
    const second = await signedPost(`${server.url}/twilio/voice`, callParams(callSid, phone, { CallStatus: "ringing" }));
    expect(second.body).to.equal(first.body);
    expect(await fx.dataSource.getRepository(Call).countBy({ callSid })).to.equal(1);
    const events = await fx.events(callSid);
    expect(events.filter((event) => event.type === "call_started")).to.have.length(1);
    expect(events.filter((event) => event.type === "identified")).to.have.length(1);
  });

  it("opens one ticket and records one event per step when every step webhook is delivered twice", async () => {
    const { person, phone } = await knownCaller();
    const callSid = newCallSid();
    const start = await signedPost(`${server.url}/twilio/voice`, callParams(callSid, phone));
    const step = gatherAction(start.body);
    const first = await signedPost(step, callParams(callSid, phone, { Digits: "2" }));
    const retried = await signedPost(step, callParams(callSid, phone, { Digits: "2" }));
    expect(retried.body).to.equal(first.body);
    const priorityStep = gatherAction(first.body);
    const ticketTwiml = await signedPost(priorityStep, callParams(callSid, phone, { Digits: "1" }));
    const again = await signedPost(priorityStep, callParams(callSid, phone, { Digits: "1" }));
    expect(again.body).to.equal(ticketTwiml.body);
    expect(findAll(parseTwiml(again.body), "Enqueue")[0]!.text).to.equal("desk-nl");

    expect(await fx.dataSource.getRepository(Ticket).countBy({ reporterId: person.id })).to.equal(1);
    const events = await fx.events(callSid);
    for (const type of ["call_started", "step:contactType", "step:workStopped", "ticket_opened", "contact_type_chosen", "priority_chosen"]) {
      expect(events.filter((event) => event.type === type), type).to.have.length(1);
    }
  });

  it("opens one ticket when the same answer arrives several times at once", async () => {
    const { person, phone } = await knownCaller();
    const callSid = newCallSid();
    const start = await signedPost(`${server.url}/twilio/voice`, callParams(callSid, phone));
    const step = gatherAction(start.body);
    const answers = await Promise.all([1, 2, 3, 4].map(() => signedPost(step, callParams(callSid, phone, { Digits: "1" }))));
    expect(answers.map((answer) => answer.status)).to.deep.equal([200, 200, 200, 200]);
    expect(new Set(answers.map((answer) => answer.body)).size).to.equal(1);
    expect(await fx.dataSource.getRepository(Ticket).countBy({ reporterId: person.id })).to.equal(1);
    expect((await fx.events(callSid)).filter((event) => event.type === "step:contactType")).to.have.length(1);
  });

  it("records one callback for a callback key pressed twice, and ends the call once for a repeated status callback", async () => {
    const { phone } = await knownCaller();
    const callSid = newCallSid();
    const start = await signedPost(`${server.url}/twilio/voice`, callParams(callSid, phone));
    await signedPost(gatherAction(start.body), callParams(callSid, phone, { Digits: "1" }));
    const key = `${server.url}/twilio/queue/key?lang=nl&cb=1`;
    const first = await signedPost(key, callParams(callSid, phone, { Digits: "1", QueuePosition: "1", QueueTime: "10" }));
    const second = await signedPost(key, callParams(callSid, phone, { Digits: "1", QueuePosition: "1", QueueTime: "10" }));
    expect(second.body).to.equal(first.body);
    expect(findAll(parseTwiml(first.body), "Leave")).to.have.length(1);
    const call = await fx.call(callSid);
    expect(await fx.dataSource.getRepository(CallbackRequest).countBy({ callId: call.id })).to.equal(1);

    for (let i = 0; i < 3; i++) await signedPost(`${server.url}/twilio/status`, callParams(callSid, phone, { CallStatus: "completed", CallDuration: "61" }));
    const ended = (await outboxFor(fx.dataSource, call.id)).filter((row) => row.topic === "call.ended");
    expect(ended).to.have.length(1);
    expect((await fx.call(callSid)).outcome).to.equal("callback_requested");
  });

  it("keeps the IVR state in the database: a second server instance serves the next step", async () => {
    const { person, phone } = await knownCaller();
    const other = await startTestServer({ PUBLIC_BASE_URL: server.url });
    other.context.now = () => OPEN_NOW;
    try {
      const callSid = newCallSid();
      const start = await signedPost(`${server.url}/twilio/voice`, callParams(callSid, phone));
      const step = gatherAction(start.body).replace(server.url, other.url);
      const answer = await signedPost(step, callParams(callSid, phone, { Digits: "1" }), { signUrl: gatherAction(start.body) });
      expect(findAll(parseTwiml(answer.body), "Enqueue")[0]!.text).to.equal("desk-nl");
      expect(await fx.dataSource.getRepository(Ticket).countBy({ reporterId: person.id })).to.equal(1);
    } finally {
      await other.close();
    }
  });
});
