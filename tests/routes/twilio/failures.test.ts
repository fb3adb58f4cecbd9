import { Writable } from "node:stream";
import { expect } from "chai";
import { pino } from "pino";
import { DataSource } from "typeorm";
import { LANGUAGES } from "../../../entities/enums.js";
import { prompt } from "../../../ivr-flows/prompts/index.js";
import { parseEnv } from "../../../server/config/env.js";
import { dataSourceOptions } from "../../../server/db/data-source.js";
import { startServer, type RunningServer } from "../../../server/http-server.js";
import { createRuntime } from "../../../server/runtime.js";
import { findAll, MemoryQueueRegistry, parseTwiml, TwilioSimulator } from "../../../server/twilio/simulator.js";
import { startTestServer, TEST_AUTH_TOKEN, type TestServer } from "../../support/app.js";
import { testDatabaseTarget, testDataSource } from "../../support/database.js";
import { connectSocket } from "../console/helpers.js";
import { callParams, DESK, IvrFixtures, newCallSid, OPEN_NOW, randomMobile, signedPost, simulatorFor } from "../../ivr/fixtures.js";

describe("IVR when the database or Redis fails: never an error to Twilio", () => {
  describe("with the database really unreachable", () => {
    let server: RunningServer;
    let close: () => Promise<void>;
    let logged: string[];

    beforeEach(async () => {
      logged = [];
      const sink = new Writable({ write(chunk, _encoding, done) { logged.push(String(chunk)); done(); } });
      const dataSource = new DataSource(dataSourceOptions(await testDatabaseTarget()));
      await dataSource.initialize();
      const env = parseEnv({ NODE_ENV: "test", REDIS_URL: process.env.REDIS_URL ?? "redis://127.0.0.1:6379", REDIS_AUTOSTART: "false", TWILIO_AUTH_TOKEN: TEST_AUTH_TOKEN, REDIS_PREFIX: `sdtest-dbdown-${process.pid}-${Date.now()}` });
      const runtime = await createRuntime(env, { dataSource, logger: pino({ level: "warn" }, sink) });
      server = await startServer(runtime, { port: 0, workers: false });
      runtime.baseUrl = server.url;
      // The connection pool is closed: every query now fails, as with a database that went away.
      await dataSource.destroy();
      close = async () => {
        await server.close();
        await runtime.close();
      };
    });
    afterEach(async () => close());

    it("apologises in every language and queues in desk-general when the first webhook fails, and logs the failure", async () => {
      const response = await signedPost(`${server.url}/twilio/voice`, callParams(newCallSid(), randomMobile()));
      expect(response.status).to.equal(200);
      const twiml = parseTwiml(response.body);
      expect(findAll(twiml, "Say").map((node) => node.text)).to.deep.equal(LANGUAGES.map((language) => prompt(language, "technicalProblem")));
      const enqueue = findAll(twiml, "Enqueue")[0]!;
      expect(enqueue.text).to.equal("desk-general");
      expect(enqueue.attrs.waitUrl).to.equal(`${server.url}/twilio/queue/wait?cb=0&q=general`);
      expect(logged.join("")).to.contain("Twilio webhook failed");
    });

    it("apologises in the caller's language (from the step URL) during the menu", async () => {
      const response = await signedPost(`${server.url}/twilio/ivr/contactType?seq=3&lang=fr`, callParams(newCallSid(), randomMobile(), { Digits: "2" }));
      expect(response.status).to.equal(200);
      const twiml = parseTwiml(response.body);
      expect(findAll(twiml, "Say").map((node) => node.text)).to.deep.equal([prompt("fr", "technicalProblem")]);
      expect(findAll(twiml, "Say")[0]!.attrs.language).to.equal("fr-BE");
      expect(findAll(twiml, "Enqueue")[0]!.text).to.equal("desk-general");
    });

    it("answers the Voice Fallback URL with the apology and the general queue, without the database", async () => {
      const response = await signedPost(`${server.url}/twilio/fallback`, callParams(newCallSid(), randomMobile(), { ErrorCode: "11200", ErrorUrl: `${server.url}/twilio/voice` }));
      expect(response.status).to.equal(200);
      const twiml = parseTwiml(response.body);
      expect(findAll(twiml, "Say").map((node) => node.text)).to.deep.equal(LANGUAGES.map((language) => prompt(language, "technicalProblem")));
      expect(findAll(twiml, "Enqueue")[0]!.text).to.equal("desk-general");
      expect(findAll(twiml, "Enqueue")[0]!.attrs.action).to.equal(`${server.url}/twilio/queue/exit`);
      expect(logged.join("")).not.to.contain("Twilio webhook failed");
    });

    it("refuses a console socket as unavailable (retry), not as unauthorized (log in again), while it cannot check the session", async () => {
      const error = await connectSocket(server.url, "sd_session=some-session-token").then(() => null, (e: Error & { data?: unknown }) => e);
      expect(error?.data).to.deep.equal({ id: "unavailable" });
    });

    it("keeps every other webhook valid: queue announcements, callback key, queue exit, status, recording, bridges", async () => {
      const sid = newCallSid();
      for (const [path, extra] of [
        ["/twilio/queue/wait?lang=nl&cb=1", { QueuePosition: "2" }],
        ["/twilio/queue/key?lang=nl&cb=1", { Digits: "1" }],
        ["/twilio/queue/exit?lang=nl", { QueueResult: "hangup", QueueTime: "30" }],
        ["/twilio/status", { CallStatus: "completed", CallDuration: "40" }],
        ["/twilio/recording?lang=de", { RecordingUrl: "https://api.twilio.com/rec/RE1", RecordingSid: "RE1" }],
        ["/twilio/connect-agent?agentId=3&lang=en", {}],
        ["/twilio/callback-bridge?callbackId=1&agentId=3", {}],
      ] as const) {
        const response = await signedPost(`${server.url}${path}`, callParams(sid, randomMobile(), extra));
        expect(response.status, path).to.equal(200);
        expect(() => parseTwiml(response.body), path).to.not.throw();
      }
    });
  });

  describe("with Redis down", () => {
    let server: TestServer;
    beforeEach(async () => {
      server = await startTestServer();
      server.context.now = () => OPEN_NOW;
    });
    afterEach(async () => server.close());

    it("still takes a known caller through the menu to the queue (the outbox keeps the events for later)", async () => {
      const fx = new IvrFixtures(await testDataSource());
      const { customer } = await fx.customer();
      const { phone } = await fx.person(customer, { language: "en", firstName: "Oliver" });
      server.context.redis.disconnect();
      // Twilio's queues are not the desk's Redis: they go on while it is down.
      const sim: TwilioSimulator = simulatorFor(server, new MemoryQueueRegistry());
      const call = await sim.start({ from: phone!, to: DESK });
      expect(TwilioSimulator.said(call)[0]).to.equal(prompt("en", "welcome", { name: "Oliver" }));
      await sim.press(call, "1");
      expect(call.queue!.name).to.equal("desk-en");
      expect(call.requests.every((request) => request.status === 200)).to.equal(true);
    });
  });
});
