import { expect } from "chai";
import { LANGUAGES } from "../../../entities/enums.js";
import { ReferencePerson } from "../../../entities/ReferencePerson.js";
import { OutboxMessage } from "../../../entities/OutboxMessage.js";
import { Ticket } from "../../../entities/Ticket.js";
import { prompt } from "../../../ivr-flows/prompts/index.js";
import { parseTwiml, findAll, TwilioSimulator } from "../../../server/twilio/simulator.js";
import type { TestServer } from "../../support/app.js";
import { callParams, DESK, HOLIDAY_NOW, IvrFixtures, newCallSid, OPEN_NOW, outboxFor, randomMobile, saidSince, signedPost, startIvrBed } from "../../ivr/fixtures.js";

describe("IVR branches: shared numbers, language change, holidays, queue and call closing", () => {
  let server: TestServer;
  let fx: IvrFixtures;
  let sim: TwilioSimulator;

  beforeEach(async () => {
    ({ server, fx, sim } = await startIvrBed());
  });
  afterEach(async () => server.close());

  it("asks which person is calling when a number is shared by persons of one language, and greets the one chosen", async () => {
    const { customer } = await fx.customer();
    const shared = randomMobile();
    await fx.person(customer, { firstName: "Jan", lastName: "Aerts", language: "nl", phone: shared });
    const second = await fx.person(customer, { firstName: "Sofie", lastName: "Claes", language: "nl", phone: shared });

    const call = await sim.start({ from: shared, to: DESK });
    expect(TwilioSimulator.said(call)).to.deep.equal([
      prompt("nl", "sharedNumber"),
      prompt("nl", "personOption", { name: "Jan Aerts", digit: 1 }),
      prompt("nl", "personOption", { name: "Sofie Claes", digit: 2 }),
      prompt("nl", "personNotListed"),
    ]);
    const mark = call.heard.length;
    await sim.press(call, "2");
    expect(saidSince(call, mark)[0]).to.equal(prompt("nl", "welcome", { name: "Sofie" }));
    expect((await fx.call(call.callSid)).personId).to.equal(second.person.id);
  });

  it("locks a caller ID out of the PIN menu after 5 wrong codes over two calls, tells it so and records it; another number is unaffected", async () => {
    const { customer } = await fx.customer();
    const { person } = await fx.person(customer, { firstName: "Anna", language: "en", pin: "739164" });
    const guesser = randomMobile();
    const enterPins = async (from: string, pins: string[]) => {
      const call = await sim.start({ from, to: DESK });
      await sim.press(call, "3");
      const mark = call.heard.length;
      for (const pin of pins) await sim.press(call, pin);
      return { call, said: saidSince(call, mark) };
    };
    const first = await enterPins(guesser, ["0000#", "9999#", "1111#"]);
    expect(first.said.slice(-2)).to.deep.equal([prompt("en", "unidentified"), prompt("en", "accountManagementOffer")]);
    await sim.hangup(first.call);

    // The 4th and 5th failures: the 5th already locks, so the caller hears it instead of a third try.
    const second = await enterPins(guesser, ["2222#", "3333#"]);
    expect(second.said).to.deep.equal([
      prompt("en", "pinRejected"),
      prompt("en", "enterPin"),
      prompt("en", "pinLocked"),
      prompt("en", "unidentified"),
      prompt("en", "accountManagementOffer"),
    ]);
    await sim.hangup(second.call);
    const alerts = (await fx.dataSource.getRepository(OutboxMessage).find({ where: { topic: "supervisor.alert" } }))
      .filter((row) => String(row.payload.message).includes(guesser));
    expect(alerts.map((row) => row.payload.kind)).to.deep.equal(["pin_locked_out"]);

    // Even the right code is refused from the locked number, and the attempt is recorded.
    const third = await enterPins(guesser, ["739164#"]);
    expect(third.said).to.deep.equal([prompt("en", "pinLocked"), prompt("en", "unidentified"), prompt("en", "accountManagementOffer")]);
    const stored = await fx.call(third.call.callSid);
    expect(stored).to.include({ personId: null, outcome: "unidentified" });
    const events = (await fx.events(third.call.callSid)).map((event) => event.type);
    expect(events).to.include.members(["pin_locked_out", "unidentified"]);
    expect(events).to.not.include("identified");
    await sim.press(third.call, "1");
    expect(third.call.dial?.to, "account management's phone rings").to.equal(`number:${server.context.env.ACCOUNT_MANAGEMENT_NUMBER}`);

    const other = await enterPins(randomMobile(), ["739164#"]);
    expect(other.said[0]).to.equal(prompt("en", "welcome", { name: "Anna" }));
    expect((await fx.call(other.call.callSid)).personId).to.equal(person.id);
    // Only the guesser's number is counted, under the server's Redis prefix, with the 15-minute window.
    const ttl = await server.context.redis.ttl(`${server.context.env.REDIS_PREFIX}:pin-failures:${guesser}`);
    expect(ttl).to.be.within(1, 15 * 60);
  });

  it("locks a person's code after 5 wrong codes one digit from it, from any numbers (anonymous too): refused in the caller's language, recorded, supervisors alerted once; another person's code still works", async () => {
    const { customer } = await fx.customer();
    const { person } = await fx.person(customer, { firstName: "Anna", lastName: "Peeters", language: "en", pin: "861402" });
    const { person: other } = await fx.person(customer, { firstName: "Bart", language: "nl", pin: "318275" });
    const enterPins = async (from: string, languageKey: string, pins: string[]) => {
      const call = await sim.start({ from, to: DESK });
      await sim.press(call, languageKey);
      const mark = call.heard.length;
      for (const pin of pins) await sim.press(call, pin);
      return { call, said: saidSince(call, mark) };
    };
    // A guesser closing in from a new number each time (no number reaches its own limit of 5).
    const first = await enterPins(randomMobile(), "3", ["861403#", "861502#"]);
    await sim.hangup(first.call);
    const second = await enterPins("anonymous", "3", ["801402#", "861400#"]);
    expect(second.said.filter((line) => line === prompt("en", "pinRejected"))).to.have.length(2);
    await sim.hangup(second.call);
    // The 5th failure meant for Anna locks her code; the caller (in French) hears it in French.
    const third = await enterPins(randomMobile(), "2", ["261402#"]);
    expect(third.said).to.deep.equal([prompt("fr", "pinPersonLocked"), prompt("fr", "unidentified"), prompt("fr", "accountManagementOffer")]);
    await sim.hangup(third.call);
    expect((await fx.events(third.call.callSid)).map((event) => event.type)).to.include.members(["pin_rejected", "pin_person_locked", "pin_locked_out", "unidentified"]);

    // Her own code is refused now from a number that never failed, in that caller's language, and recorded.
    const fourth = await enterPins(randomMobile(), "1", ["861402#"]);
    expect(fourth.said).to.deep.equal([prompt("nl", "pinPersonLocked"), prompt("nl", "unidentified"), prompt("nl", "accountManagementOffer")]);
    expect(await fx.call(fourth.call.callSid)).to.include({ personId: null, outcome: "unidentified" });
    const locked = (await fx.events(fourth.call.callSid)).find((event) => event.type === "pin_locked_out");
    expect(locked?.data).to.include({ personId: person.id });
    await sim.hangup(fourth.call);

    const alerts = (await fx.dataSource.getRepository(OutboxMessage).find({ where: { topic: "supervisor.alert" } })).filter((row) => row.payload.kind === "pin_person_locked_out");
    expect(alerts).to.have.length(1);
    expect(String(alerts[0]!.payload.message)).to.contain("Anna Peeters");
    const ttl = await server.context.redis.ttl(`${server.context.env.REDIS_PREFIX}:pin-failures:person:${person.id}`);
    expect(ttl).to.be.within(1, 15 * 60);

    const bart = await enterPins(randomMobile(), "1", ["318275#"]);
    expect(bart.said[0]).to.equal(prompt("nl", "welcome", { name: "Bart" }));
    expect((await fx.call(bart.call.callSid)).personId).to.equal(other.id);
  });

  it("asks the language first when the persons sharing a number speak different languages, and lets 0 go to the PIN", async () => {
    const { customer } = await fx.customer();
    const shared = randomMobile();
    await fx.person(customer, { firstName: "Jan", lastName: "Aerts", language: "nl", phone: shared });
    const { person: marie } = await fx.person(customer, { firstName: "Marie", lastName: "Dubois", language: "fr", phone: shared, pin: "482913" });
    const call = await sim.start({ from: shared, to: DESK });
    expect(TwilioSimulator.said(call)).to.have.length(4);
    await sim.press(call, "2");
    expect(TwilioSimulator.said(call)).to.include(prompt("fr", "personOption", { name: "Marie Dubois", digit: 2 }));
    let mark = call.heard.length;
    await sim.press(call, "0");
    expect(saidSince(call, mark)).to.deep.equal([prompt("fr", "enterPin")]);
    mark = call.heard.length;
    await sim.press(call, "482913#");
    expect(saidSince(call, mark)[0]).to.equal(prompt("fr", "welcome", { name: "Marie" }));
    expect((await fx.call(call.callSid)).personId).to.equal(marie.id);
  });

  it("lets a known caller change language with 9, greets again in the new language and remembers it", async () => {
    const { customer } = await fx.customer();
    const { person, phone } = await fx.person(customer, { firstName: "Pieter", language: "nl" });
    const call = await sim.start({ from: phone!, to: DESK });
    await sim.press(call, "9");
    const mark = call.heard.length;
    await sim.press(call, "4");
    expect(saidSince(call, mark).slice(0, 2)).to.deep.equal([prompt("de", "welcome", { name: "Pieter" }), prompt("de", "contactTypeMenu")]);
    expect((await fx.dataSource.getRepository(ReferencePerson).findOneByOrFail({ id: person.id })).language).to.equal("de");
    expect((await fx.call(call.callSid)).language).to.equal("de");
  });

  it("treats a Belgian public holiday as closed (Christmas Day, a Friday, at 10:00)", async () => {
    server.context.now = () => HOLIDAY_NOW;
    const { customer } = await fx.customer({ contract: { paid: true, validFrom: "2026-01-01", validTo: "2026-12-31" } });
    const { phone } = await fx.person(customer, { language: "en" });
    const call = await sim.start({ from: phone!, to: DESK });
    expect(TwilioSimulator.said(call)).to.include(prompt("en", "closedNotice"));
    await sim.press(call, "1");
    expect(call.status).to.equal("record");
  });

  it("sends a caller who never picks a language to desk-general, apologising in every language", async () => {
    const call = await sim.start({ from: "anonymous", to: DESK });
    await sim.silence(call);
    await sim.press(call, "8");
    const mark = call.heard.length;
    await sim.silence(call);
    expect(saidSince(call, mark).slice(0, 4)).to.deep.equal(LANGUAGES.map((language) => prompt(language, "transferToColleague")));
    expect(call.queue!.name).to.equal("desk-general");
    const stored = await fx.call(call.callSid);
    expect(stored).to.include({ fromNumber: "anonymous", fromE164: null, outcome: "queued", queueName: "desk-general" });
  });

  it("treats a missing caller ID like a withheld one: language menu, call stored as anonymous", async () => {
    const callSid = newCallSid();
    const params = callParams(callSid, "");
    delete (params as Record<string, string | undefined>).From;
    const response = await signedPost(`${server.url}/twilio/voice`, params);
    expect(response.status).to.equal(200);
    const twiml = parseTwiml(response.body);
    expect(findAll(twiml, "Say").map((node) => node.text)).to.deep.equal(LANGUAGES.map((language, index) => prompt(language, "languageOption", { digit: index + 1 })));
    expect((await fx.call(callSid)).fromNumber).to.equal("anonymous");
  });

  it("re-asks the current question for an unknown step or a stale sequence number, and stores nothing", async () => {
    const { customer } = await fx.customer();
    const { phone } = await fx.person(customer, { language: "en" });
    const call = await sim.start({ from: phone!, to: DESK });
    const before = await fx.events(call.callSid);
    for (const path of ["/twilio/ivr/nonsense?seq=1&lang=en", "/twilio/ivr/contactType?seq=99&lang=en", "/twilio/ivr/workStopped?seq=1&lang=en"]) {
      const response = await signedPost(`${server.url}${path}`, callParams(call.callSid, phone!, { Digits: "1" }));
      expect(response.status).to.equal(200);
      const said = findAll(parseTwiml(response.body), "Say").map((node) => node.text);
      expect(said).to.deep.equal([prompt("en", "contactTypeMenu"), prompt("en", "changeLanguage")]);
    }
    expect(await fx.events(call.callSid)).to.have.length(before.length);
    expect(await fx.dataSource.getRepository(Ticket).count({ where: { sourceCallId: (await fx.call(call.callSid)).id } })).to.equal(0);
  });

  it("answers a step for a call it never saw with a redirect to the Voice URL, storing nothing", async () => {
    const callSid = newCallSid();
    const response = await signedPost(`${server.url}/twilio/ivr/contactType?seq=1&lang=nl`, callParams(callSid, randomMobile(), { Digits: "1" }));
    const redirect = findAll(parseTwiml(response.body), "Redirect")[0]!;
    expect(redirect.text).to.equal(`${server.url}/twilio/voice`);
    expect(await fx.dataSource.query("SELECT COUNT(*) AS n FROM calls WHERE callSid = ?", [callSid])).to.satisfy((rows: { n: number | string }[]) => Number(rows[0]!.n) === 0);
  });

  it("announces position and estimated wait from Twilio's QueuePosition (a call the desk does not know) and AvgQueueTime, with the callback key", async () => {
    await fx.agent(); // on duty and speaking French: the estimate is given only then
    const response = await signedPost(`${server.url}/twilio/queue/wait?lang=fr&cb=1`, callParams(newCallSid(), randomMobile(), { QueuePosition: "3", AvgQueueTime: "400", QueueTime: "100", CurrentQueueSize: "4" }));
    const twiml = parseTwiml(response.body);
    const gather = findAll(twiml, "Gather")[0]!;
    expect(gather.attrs.action).to.equal(`${server.url}/twilio/queue/key?lang=fr&cb=1`);
    expect(findAll(gather, "Say").map((node) => node.text)).to.deep.equal([
      prompt("fr", "queuePosition", { position: 3 }),
      prompt("fr", "queueEstimate", { minutes: 5 }),
      prompt("fr", "callbackOffer"),
    ]);
    expect(findAll(twiml, "Play")).to.have.length(1);
    const noCallback = parseTwiml((await signedPost(`${server.url}/twilio/queue/wait?lang=de&cb=0`, callParams(newCallSid(), "anonymous", { QueuePosition: "1" }))).body);
    expect(findAll(noCallback, "Say").map((node) => node.text)).to.not.include(prompt("de", "callbackOffer"));
  });

  it("closes a call abandoned in the queue: abandoned, time waited, duration, call.ended once", async () => {
    const { customer } = await fx.customer();
    const { phone } = await fx.person(customer, { language: "nl" });
    const call = await sim.start({ from: phone!, to: DESK });
    await sim.press(call, "1");
    server.context.now = () => new Date(OPEN_NOW.getTime() + 95_000);
    await signedPost(`${server.url}/twilio/queue/exit?lang=nl`, callParams(call.callSid, phone!, { QueueResult: "hangup", QueueTime: "95" }));
    await signedPost(`${server.url}/twilio/status`, callParams(call.callSid, phone!, { CallStatus: "completed", CallDuration: "140" }));
    const stored = await fx.call(call.callSid);
    expect(stored).to.include({ outcome: "abandoned", waitSeconds: 95, durationSeconds: 140 });
    expect(stored.endedAt!.toISOString()).to.equal(new Date(OPEN_NOW.getTime() + 95_000).toISOString());
    const ended = (await outboxFor(fx.dataSource, stored.id)).filter((row) => row.topic === "call.ended");
    expect(ended).to.have.length(1);
  });

  it("closes an answered call: the Enqueue action 'bridged' marks it answered and the status callback keeps that outcome", async () => {
    const { customer } = await fx.customer();
    const { phone } = await fx.person(customer, { language: "nl" });
    const call = await sim.start({ from: phone!, to: DESK });
    await sim.press(call, "1");
    server.context.now = () => new Date(OPEN_NOW.getTime() + 20_000);
    await signedPost(`${server.url}/twilio/queue/exit?lang=nl`, callParams(call.callSid, phone!, { QueueResult: "bridged", QueueTime: "20" }));
    await signedPost(`${server.url}/twilio/status`, callParams(call.callSid, phone!, { CallStatus: "completed", CallDuration: "300" }));
    const stored = await fx.call(call.callSid);
    expect(stored).to.include({ outcome: "answered", waitSeconds: 20, durationSeconds: 300 });
  });

  it("records a caller who hangs up in the menu as abandoned without a wait", async () => {
    const { customer } = await fx.customer();
    const { phone } = await fx.person(customer, { language: "nl" });
    const call = await sim.start({ from: phone!, to: DESK });
    await sim.hangup(call);
    const stored = await fx.call(call.callSid);
    expect(stored).to.include({ outcome: "abandoned", waitSeconds: null });
    expect(stored.endedAt).to.not.equal(null);
  });

  it("ignores a status callback for an unknown call", async () => {
    const response = await signedPost(`${server.url}/twilio/status`, callParams(newCallSid(), randomMobile(), { CallStatus: "completed", CallDuration: "3" }));
    expect(response.status).to.equal(200);
    expect(parseTwiml(response.body).children).to.have.length(0);
  });
});
