import { expect } from "chai";
import { Agent } from "../../../entities/Agent.js";
import { prompt } from "../../../ivr-flows/prompts/index.js";
import { flowUrls } from "../../../ivr-flows/urls.js";
import { findAll, parseTwiml } from "../../../server/twilio/simulator.js";
import type { TestServer } from "../../support/app.js";
import { callParams, IvrFixtures, newCallSid, signedPost, startIvrBed } from "../../ivr/fixtures.js";

describe("the queue's wait announcements (honest estimate)", () => {
  let server: TestServer;
  let fx: IvrFixtures;

  beforeEach(async () => {
    ({ server, fx } = await startIvrBed());
    // The IVR bed keeps the agents of earlier tests: none of them may count as on duty here.
    await fx.dataSource.query("UPDATE agents SET status = 'offline'");
  });
  afterEach(async () => server.close());

  /** The <Say> texts of the wait URL's answer for an English caller, third in the queue, no history yet. */
  async function waitAnnouncements(): Promise<string[]> {
    const url = flowUrls(server.url).queueWait("en", false);
    const response = await signedPost(url, callParams(newCallSid(), "+32470123456", { QueuePosition: "3", AvgQueueTime: "0", QueueTime: "10" }));
    expect(response.status).to.equal(200);
    return findAll(parseTwiml(response.body), "Say").map((say) => say.text);
  }
  const agent = async (languages: ("nl" | "fr" | "en")[], status: Agent["status"]) => {
    const saved = await fx.agent();
    await fx.dataSource.getRepository(Agent).update({ id: saved.id }, { languages, status });
  };

  it("gives no estimate to an English caller while no agent on duty speaks English, only the position", async () => {
    await agent(["nl", "fr"], "available");
    await agent(["en"], "away");
    await agent(["en"], "offline");
    const said = await waitAnnouncements();
    expect(said).to.deep.equal([prompt("en", "queuePosition", { position: 3 })]);
  });

  it("counts the English speakers on duty (available, on a call, wrap-up): callers ahead are shared among them", async () => {
    await agent(["en", "nl"], "on_call");
    expect(await waitAnnouncements()).to.deep.equal([prompt("en", "queuePosition", { position: 3 }), prompt("en", "queueEstimate", { minutes: 6 })]);
    await agent(["en"], "wrap_up");
    await agent(["en"], "available");
    expect(await waitAnnouncements()).to.deep.equal([prompt("en", "queuePosition", { position: 3 }), prompt("en", "queueEstimate", { minutes: 2 })]);
  });
});
