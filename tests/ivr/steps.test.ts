import { expect } from "chai";
import twilio from "twilio";
import { initialState, STEPS, type IvrState, type StepContext } from "../../ivr-flows/index.js";
import { MAX_TRIES } from "../../ivr-flows/menu.js";
import { prompt } from "../../ivr-flows/prompts/index.js";
import { estimateWaitMinutes } from "../../ivr-flows/queue.js";
import { spacedDigits } from "../../ivr-flows/speak.js";
import { flowUrls } from "../../ivr-flows/urls.js";
import { findAll, parseTwiml } from "../../server/twilio/simulator.js";

const context: StepContext = { urls: flowUrls("https://desk.example.be"), accountManagementNumber: "+3232000002" };
const identified = (changes: Partial<IvrState> = {}): IvrState => ({
  ...initialState(),
  seq: 4,
  language: "fr",
  person: { id: 7, firstName: "Luc", lastName: "Martin", customerId: 3, campusId: null },
  entitled: true,
  open: true,
  callbackNumber: "+32470000001",
  ...changes,
});
const fresh = () => new twilio.twiml.VoiceResponse();

describe("IVR steps are pure functions of (state, input)", () => {
  it("reads ticket numbers digit by digit, grouped as written", () => {
    expect(spacedDigits("2026-000123")).to.equal("2 0 2 6, 0 0 0 1 2 3");
  });

  it("estimates the remaining wait from Twilio's average, or two minutes per round of callers ahead without history", () => {
    expect(estimateWaitMinutes(3, 400, 100, 1)).to.equal(5);
    expect(estimateWaitMinutes(2, 0, 0, 1)).to.equal(4);
    expect(estimateWaitMinutes(1, 30, 200, 1)).to.equal(1);
    // Callers ahead are shared among the agents on duty who speak the language.
    expect(estimateWaitMinutes(4, 0, 0, 2)).to.equal(4);
    expect(estimateWaitMinutes(5, 0, 0, 2)).to.equal(6);
  });

  it("gives no estimate when no agent on duty speaks the caller's language", () => {
    expect(estimateWaitMinutes(1, 400, 0, 0)).to.equal(null);
    expect(estimateWaitMinutes(3, 0, 0, 0)).to.equal(null);
  });

  it("builds the contact-type menu as a one-key <Gather> posting to its step URL with the sequence and language", () => {
    const result = STEPS.contactType.enter(identified(), context, fresh());
    const gather = findAll(parseTwiml(result.twiml.toString()), "Gather")[0]!;
    expect(gather.attrs).to.include({ numDigits: "1", action: "https://desk.example.be/twilio/ivr/contactType?seq=4&lang=fr", actionOnEmptyResult: "true" });
    expect(result.awaiting).to.equal("contactType");
  });

  it("re-asks a wrong answer and hands over to a human on the third", () => {
    let state = identified();
    for (let attempt = 1; attempt < MAX_TRIES; attempt++) {
      const result = STEPS.contactType.answer!(state, { digits: "8" }, context, fresh());
      expect(result.goto).to.equal("contactType");
      expect(findAll(parseTwiml(result.twiml.toString()), "Say")[0]!.text).to.equal(prompt("fr", "notUnderstood"));
      state = result.state;
    }
    const last = STEPS.contactType.answer!(state, { digits: null }, context, fresh());
    expect(last.goto).to.equal("fallback");
    expect(last.state.tries).to.equal(0);
  });

  it("sends a locked-out caller ID the unidentified way from the first PIN, telling it why", () => {
    const state: IvrState = { ...initialState(), language: "nl", pinRejected: true, pinLocked: true };
    const result = STEPS.pinChecked.enter(state, context, fresh());
    expect(result.goto).to.equal("unidentified");
    expect(findAll(parseTwiml(result.twiml.toString()), "Say").map((node) => node.text)).to.deep.equal([prompt("nl", "pinLocked")]);
  });

  it("sends a caller whose code belongs to a locked-out person the unidentified way, telling it in its language", () => {
    const state: IvrState = { ...initialState(), language: "fr", pinRejected: true, pinLocked: false, pinPersonLocked: true };
    const result = STEPS.pinChecked.enter(state, context, fresh());
    expect(result.goto).to.equal("unidentified");
    expect(findAll(parseTwiml(result.twiml.toString()), "Say").map((node) => node.text)).to.deep.equal([prompt("fr", "pinPersonLocked")]);
  });

  it("asks 'has work stopped' for an incident and sets critical or high", () => {
    const incident = STEPS.contactType.answer!(identified(), { digits: "2" }, context, fresh());
    expect(incident.goto).to.equal("workStopped");
    expect(STEPS.workStopped.answer!(incident.state, { digits: "1" }, context, fresh()).state.priority).to.equal("critical");
    expect(STEPS.workStopped.answer!(incident.state, { digits: "2" }, context, fresh()).state.priority).to.equal("high");
  });

  it("skips the product menu when the customer has one covered product", () => {
    const result = STEPS.product.enter(identified({ products: [{ id: 9, name: "Zorgdossier", spokenNames: null }] }), context, fresh());
    expect(result).to.include({ goto: "ticket" });
    expect(result.state.productId).to.equal(9);
  });

  it("asks the ticket to be opened once, then reads it and queues (open) or records a voicemail (closed)", () => {
    expect(STEPS.ticket.enter(identified(), context, fresh()).effects).to.deep.equal([{ kind: "openTicket", purpose: "support" }]);
    const ticket = { id: 1, number: "2026-000042" };
    expect(STEPS.ticket.enter(identified({ ticket }), context, fresh()).goto).to.equal("queue");
    expect(STEPS.ticket.enter(identified({ ticket, open: false }), context, fresh()).goto).to.equal("voicemail");
  });

  it("queues in the caller's language with the wait and exit URLs", () => {
    const queued = STEPS.queue.enter(identified(), context, fresh());
    const enqueue = findAll(parseTwiml(queued.twiml.toString()), "Enqueue")[0]!;
    expect(enqueue.text).to.equal("desk-fr");
    expect(enqueue.attrs).to.include({ waitUrl: "https://desk.example.be/twilio/queue/wait?lang=fr&cb=1", action: "https://desk.example.be/twilio/queue/exit?lang=fr" });
    expect(queued.effects).to.deep.equal([{ kind: "enqueue", queueName: "desk-fr" }]);
  });

  it("sends a caller who fails the menu while the desk is closed to the voicemail, not an empty queue", () => {
    expect(STEPS.fallback.enter(identified({ open: false }), context, fresh()).goto).to.equal("voicemail");
  });

  it("turns a greeting of a caller without entitlement into the R4 message", () => {
    expect(STEPS.welcome.enter(identified({ entitled: false }), context, fresh()).goto).to.equal("notEntitled");
  });
});
