import { expect } from "chai";
import { CallbackRequest } from "../../../entities/CallbackRequest.js";
import { LANGUAGES, type Language } from "../../../entities/enums.js";
import { ReferencePerson } from "../../../entities/ReferencePerson.js";
import { Ticket } from "../../../entities/Ticket.js";
import { prompt } from "../../../ivr-flows/prompts/index.js";
import { spacedDigits } from "../../../ivr-flows/speak.js";
import { VOICES } from "../../../ivr-flows/voices.js";
import { findAll, TwilioSimulator } from "../../../server/twilio/simulator.js";
import type { TestServer } from "../../support/app.js";
import { DESK, EVENING_NOW, IvrFixtures, OPEN_NOW, outboxFor, randomMobile, saidSince, startIvrBed } from "../../ivr/fixtures.js";

const MENU_KEY: Record<Language, string> = { nl: "1", fr: "2", en: "3", de: "4" };
const FIRST_NAMES: Record<Language, string> = { nl: "Anneleen", fr: "Aurélie", en: "Emma", de: "Greta" };

/** Every branch of the call flow (SPEC §4), through HTTP with signed requests, in each of the four languages. */
for (const language of LANGUAGES) {
  describe(`IVR call flow in ${language} (signed webhooks, TwiML parsed as XML)`, () => {
    let server: TestServer;
    let fx: IvrFixtures;
    let sim: TwilioSimulator;
    const say = (key: Parameters<typeof prompt>[1], params: Record<string, string | number> = {}) => prompt(language, key, params);

    beforeEach(async () => {
      ({ server, fx, sim } = await startIvrBed());
    });
    afterEach(async () => server.close());

    it(`greets a known caller by name in ${language}, takes an incident that stops work and a product, reads the ticket number digit by digit and queues in desk-${language}`, async () => {
      const care = await fx.product("Zorgdossier", { nl: "Zorgdossier", fr: "Dossier de soins", en: "Care record", de: "Pflegeakte" });
      const meds = await fx.product("Medicatie", { nl: "Medicatiebeheer", fr: "Gestion des médicaments", en: "Medication management", de: "Medikationsverwaltung" });
      const { customer } = await fx.customer({ products: [care, meds] });
      const { person, phone } = await fx.person(customer, { firstName: FIRST_NAMES[language], language });

      const call = await sim.start({ from: phone!, to: DESK });
      const greeting = call.heard.find((line) => line.text === say("welcome", { name: FIRST_NAMES[language] }));
      expect(greeting, "greeting by name").to.exist;
      expect(greeting!.language).to.equal(VOICES[language].language);
      expect(TwilioSimulator.said(call)).to.include.members([say("contactTypeMenu"), say("changeLanguage")]);
      expect(call.lastTwiml && findAll(call.lastTwiml, "Gather")[0]!.attrs.numDigits).to.equal("1");

      let mark = call.heard.length;
      await sim.press(call, "2");
      expect(saidSince(call, mark)).to.deep.equal([say("workStopped")]);

      mark = call.heard.length;
      await sim.press(call, "1");
      expect(saidSince(call, mark)).to.include.members([
        say("productOption", { product: care.spokenNames![language]!, digit: 1 }),
        say("productOption", { product: meds.spokenNames![language]!, digit: 2 }),
      ]);

      mark = call.heard.length;
      await sim.press(call, "2");
      const ticket = await fx.dataSource.getRepository(Ticket).findOneByOrFail({ reporterId: person.id });
      expect(ticket).to.include({ contactType: "incident", priority: "critical", productId: meds.id, language, entitled: true, customerId: customer.id });
      expect(ticket.number).to.match(/^2026-\d{6}$/);
      const heard = saidSince(call, mark);
      expect(heard[0]).to.equal(say("ticketNumber", { number: spacedDigits(ticket.number) }));
      expect(heard[0]).to.contain("2 0 2 6, 0 0 0");
      expect(call.status).to.equal("queue");
      expect(call.queue!.name).to.equal(`desk-${language}`);
      expect(heard).to.include(say("queuePosition", { position: 1 }));
      expect(heard).to.include(say("callbackOffer"));

      const stored = await fx.call(call.callSid);
      expect(stored).to.include({ outcome: "queued", queueName: `desk-${language}`, language, personId: person.id, customerId: customer.id, ticketId: ticket.id });
      expect(stored.queuedAt!.toISOString()).to.equal(OPEN_NOW.toISOString());
      expect(stored.ivrState).to.include({ contactType: "incident", priority: "critical", productId: meds.id });
      const topics = (await outboxFor(fx.dataSource, stored.id)).map((row) => row.topic);
      expect(topics.filter((topic) => topic === "call.updated").length).to.be.at.least(3);

      // The callback key: recorded, keeps the place, leaves the queue politely.
      mark = call.heard.length;
      await sim.press(call, "1");
      expect(saidSince(call, mark)).to.deep.equal([say("callbackConfirmed"), say("goodbye")]);
      expect(call.status).to.equal("ended");
      const callback = await fx.dataSource.getRepository(CallbackRequest).findOneByOrFail({ callId: stored.id });
      expect(callback).to.include({ phoneNumber: phone, language, ticketId: ticket.id, status: "pending" });
      expect(callback.queuedAt.toISOString()).to.equal(OPEN_NOW.toISOString());
      const after = await fx.call(call.callSid);
      expect(after.outcome).to.equal("callback_requested");
      expect(after.endedAt).to.not.equal(null);
    });

    it(`identifies an unknown caller by PIN after the language menu and remembers ${language} for them`, async () => {
      const { customer } = await fx.customer();
      const other: Language = language === "nl" ? "fr" : "nl";
      const { person, pin } = await fx.person(customer, { firstName: FIRST_NAMES[language], language: other, phone: null });

      const call = await sim.start({ from: randomMobile(), to: DESK });
      const options = call.heard.filter((line) => line.kind === "say");
      expect(options.map((line) => line.language)).to.deep.equal(LANGUAGES.map((each) => VOICES[each].language));
      expect(options.map((line) => line.text)).to.deep.equal(LANGUAGES.map((each) => prompt(each, "languageOption", { digit: MENU_KEY[each] })));

      let mark = call.heard.length;
      await sim.press(call, MENU_KEY[language]);
      expect(saidSince(call, mark)).to.deep.equal([say("enterPin")]);
      expect(call.lastTwiml && findAll(call.lastTwiml, "Gather")[0]!.attrs.finishOnKey).to.equal("#");

      mark = call.heard.length;
      await sim.press(call, `${pin}#`);
      expect(saidSince(call, mark).slice(0, 2)).to.deep.equal([say("welcome", { name: FIRST_NAMES[language] }), say("contactTypeMenu")]);
      const remembered = await fx.dataSource.getRepository(ReferencePerson).findOneByOrFail({ id: person.id });
      expect(remembered.language).to.equal(language);

      await sim.press(call, "1");
      expect(call.status).to.equal("queue");
      expect(call.queue!.name).to.equal(`desk-${language}`);
      const stored = await fx.call(call.callSid);
      expect(stored).to.include({ personId: person.id, language, outcome: "queued" });
      const ticket = await fx.dataSource.getRepository(Ticket).findOneByOrFail({ id: stored.ticketId! });
      expect(ticket).to.include({ contactType: "question", priority: "normal", language });
    });

    it(`tells an unidentified caller in ${language} that support is for designated reference persons, records the attempt and offers account management`, async () => {
      const call = await sim.start({ from: randomMobile(), to: DESK });
      await sim.press(call, MENU_KEY[language]);
      const mark = call.heard.length;
      await sim.press(call, "0000#");
      await sim.press(call, "9999#");
      await sim.press(call, "1111#");
      expect(saidSince(call, mark)).to.deep.equal([
        say("pinRejected"),
        say("enterPin"),
        say("pinRejected"),
        say("enterPin"),
        say("unidentified"),
        say("accountManagementOffer"),
      ]);
      const stored = await fx.call(call.callSid);
      expect(stored).to.include({ outcome: "unidentified", personId: null, language });
      const events = await fx.events(call.callSid);
      expect(events.filter((event) => event.type === "unidentified")).to.have.length(1);
      expect(events.filter((event) => event.type === "pin_rejected")).to.have.length(3);
      expect(JSON.stringify(events.map((event) => event.data))).to.not.contain("9999");

      await sim.press(call, "1");
      expect(call.dial?.to, "account management's phone rings").to.equal(`number:${server.context.env.ACCOUNT_MANAGEMENT_NUMBER}`);
      expect(TwilioSimulator.said(call).at(-1)).to.equal(say("connectingAccountManagement"));
    });

    it(`tells a caller without a paid contract so in ${language}, records a not-entitled ticket and connects account management after three silences`, async () => {
      const { customer } = await fx.customer({ contract: { paid: false, validFrom: "2026-01-01", validTo: "2026-12-31" } });
      const { person, phone } = await fx.person(customer, { firstName: FIRST_NAMES[language], language });

      const call = await sim.start({ from: phone!, to: DESK });
      const ticket = await fx.dataSource.getRepository(Ticket).findOneByOrFail({ reporterId: person.id });
      expect(ticket).to.include({ entitled: false, entitlementReason: "unpaid", language });
      expect(TwilioSimulator.said(call)).to.deep.equal([
        say("welcome", { name: FIRST_NAMES[language] }),
        say("notEntitled"),
        say("callRegistered", { number: spacedDigits(ticket.number) }),
        say("accountManagementOffer"),
      ]);
      expect((await fx.call(call.callSid)).outcome).to.equal("not_entitled");

      await sim.silence(call);
      await sim.silence(call);
      expect(call.status).to.equal("gather");
      await sim.silence(call);
      expect(call.dial?.to, "account management's phone rings").to.equal(`number:${server.context.env.ACCOUNT_MANAGEMENT_NUMBER}`);
      expect(await fx.dataSource.getRepository(Ticket).countBy({ reporterId: person.id })).to.equal(1);
    });

    it(`after business hours in ${language}: says the desk is closed, opens the ticket, records a voicemail and a callback request`, async () => {
      server.context.now = () => EVENING_NOW;
      const { customer } = await fx.customer();
      const { person, phone } = await fx.person(customer, { firstName: FIRST_NAMES[language], language });

      const call = await sim.start({ from: phone!, to: DESK });
      expect(TwilioSimulator.said(call)).to.include(say("closedNotice"));
      let mark = call.heard.length;
      await sim.press(call, "3");
      const ticket = await fx.dataSource.getRepository(Ticket).findOneByOrFail({ reporterId: person.id });
      expect(ticket.contactType).to.equal("change");
      expect(saidSince(call, mark)).to.deep.equal([say("ticketNumber", { number: spacedDigits(ticket.number) }), say("voicemailPrompt")]);
      expect(call.status).to.equal("record");
      const record = findAll(call.lastTwiml!, "Record")[0]!;
      expect(record.attrs).to.include({ finishOnKey: "#", playBeep: "true" });

      const stored = await fx.call(call.callSid);
      expect(stored.outcome).to.equal("voicemail");
      const callback = await fx.dataSource.getRepository(CallbackRequest).findOneByOrFail({ callId: stored.id });
      expect(callback).to.include({ phoneNumber: phone, language, ticketId: ticket.id });

      mark = call.heard.length;
      await sim.recordMessage(call, 20);
      expect(saidSince(call, mark)).to.deep.equal([say("voicemailThanks")]);
      const recorded = await fx.call(call.callSid);
      expect(recorded.recordingUrl).to.match(/^https:\/\/api\.twilio\.com\/.+\/Recordings\/RE[0-9a-f]{32}$/);
      const voicemail = (await outboxFor(fx.dataSource, stored.id)).filter((row) => row.topic === "voicemail.recorded");
      expect(voicemail.map((row) => row.payload)).to.deep.equal([{ callId: stored.id, ticketId: ticket.id }]);
    });

    it(`puts a caller who answers the ${language} contact menu wrongly or not at all three times through to desk-${language}`, async () => {
      await fx.agent(); // an agent on duty who speaks the language: the wait estimate is given only then
      const { customer } = await fx.customer();
      const { phone } = await fx.person(customer, { language });
      const call = await sim.start({ from: phone!, to: DESK });
      const mark = call.heard.length;
      await sim.press(call, "7");
      await sim.silence(call);
      await sim.press(call, "x!");
      expect(saidSince(call, mark)).to.deep.equal([
        say("notUnderstood"),
        say("contactTypeMenu"),
        say("changeLanguage"),
        say("notUnderstood"),
        say("contactTypeMenu"),
        say("changeLanguage"),
        say("transferToColleague"),
        say("pleaseHold"),
        say("queuePosition", { position: 1 }),
        say("queueEstimate", { minutes: 2 }),
        say("callbackOffer"),
      ]);
      expect(call.queue!.name).to.equal(`desk-${language}`);
      const events = await fx.events(call.callSid);
      expect(events.map((event) => event.type)).to.include("too_many_tries");
      expect((await fx.call(call.callSid)).outcome).to.equal("queued");
    });
  });
}
