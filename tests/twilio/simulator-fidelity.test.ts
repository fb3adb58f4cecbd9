import { expect } from "chai";
import { flowUrls } from "../../ivr-flows/urls.js";
import type { SimulatedTwilioClient } from "../../server/twilio/simulated-client.js";
import { TwilioSimulator } from "../../server/twilio/simulator.js";
import type { TestServer } from "../support/app.js";
import { DESK, IvrFixtures, OPEN_NOW, startIvrBed } from "../ivr/fixtures.js";

describe("the simulator plays Twilio faithfully (issue 16)", () => {
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

  describe("REST dequeue (Queue Members API)", () => {
    it("posts the Enqueue action with QueueResult=redirected, then runs the new URL; the call is answered, never abandoned", async () => {
      const agent = await fx.agent();
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
});
