import { expect } from "chai";
import twilio from "twilio";
import { LANGUAGES, type Language } from "../../entities/enums.js";
import {
  callbackBridgeTwiml,
  callbackMissedTwiml,
  connectAgentTwiml,
  goodbyeTwiml,
  hangupTwiml,
  requeueTwiml,
  technicalFallbackTwiml,
} from "../../ivr-flows/bridge.js";
import { initialState, STEPS, type Effect, type IvrState, type StepContext, type StepName, type StepResult } from "../../ivr-flows/index.js";
import { MAX_TRIES } from "../../ivr-flows/menu.js";
import { backToWaitTwiml, callbackChosenTwiml, queueExitTwiml, queueWaitTwiml } from "../../ivr-flows/queue.js";
import { flowUrls } from "../../ivr-flows/urls.js";
import { parseTwiml, TwilioSimulator, type WebhookTransport } from "../../server/twilio/simulator.js";
import { validateTwiml, type TwimlContext } from "../../server/twilio/twiml-schema.js";

const urls = flowUrls("https://desk.example.be");
const LANGS: (Language | null)[] = [null, ...LANGUAGES];
/** Every key a caller can press at a <Gather>, a silence, and longer entries (a PIN, a stray pair). */
const INPUTS: (string | null)[] = [null, "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "#", "12", "123456", "99999999"];
const QUEUE_RESULTS = ["bridged", "bridging-in-process", "hangup", "leave", "redirected", "redirected-from-bridged", "queue-full", "error", "system-error", ""];

/** The effects the runner applies between steps, done without a database (enough to reach every branch). */
function applyEffects(state: IvrState, effects: Effect[]): IvrState {
  let next = state;
  for (const effect of effects) {
    if (effect.kind === "setLanguage") next = { ...next, language: effect.language };
    if (effect.kind === "checkPin") next = { ...next, pinRejected: effect.pin !== "123456" };
    if (effect.kind === "identify") next = { ...next, person: { id: effect.personId, firstName: "Els", lastName: "Claes", customerId: 1, campusId: null }, entitled: next.entitled ?? true, open: next.open ?? true };
    if (effect.kind === "openTicket") next = { ...next, ticket: { id: 9, number: "2026-000123" } };
  }
  return next;
}

/** Runs a step's entry or answer and the steps it leads to, as ivr-step-runner does: one document per webhook. */
function runStep(first: (twiml: InstanceType<typeof twilio.twiml.VoiceResponse>) => StepResult, context: StepContext): string {
  const twiml = new twilio.twiml.VoiceResponse();
  let result = first(twiml);
  for (let hops = 0; result.goto; hops++) {
    if (hops > 15) throw new Error(`step loop via ${result.goto}`);
    result = STEPS[result.goto].enter(applyEffects(result.state, result.effects), context, twiml);
  }
  return twiml.toString();
}

/** The IVR states the steps can meet: unknown and identified callers, open or closed, entitled or not, one or more products… */
function states(language: Language | null): IvrState[] {
  const base = { ...initialState(), seq: 3, language };
  const person = { id: 7, firstName: "Luc", lastName: "Martin", customerId: 3, campusId: null };
  const products = [
    { id: 1, name: "Zorgdossier", spokenNames: { nl: "het zorgdossier", fr: "le dossier de soins" } },
    { id: 2, name: "Planning", spokenNames: null },
    { id: 3, name: "Medicatie", spokenNames: { de: "Medikation" } },
  ];
  const candidates = [
    { id: 7, firstName: "Luc", lastName: "Martin", language: "fr" as const },
    { id: 8, firstName: "An", lastName: "Peeters", language: "nl" as const },
  ];
  const identified: IvrState = { ...base, person, entitled: true, open: true, callbackNumber: "+32470000001", products: products.slice(0, 1) };
  return [
    base,
    { ...base, tries: MAX_TRIES - 1 },
    { ...base, candidates, afterLanguage: "person" },
    { ...base, afterLanguage: "welcome", pinRejected: true, pinTries: 2 },
    { ...base, pinRejected: true, pinLocked: true },
    identified,
    { ...identified, tries: MAX_TRIES - 1 },
    { ...identified, products },
    { ...identified, products: [] },
    { ...identified, open: false },
    { ...identified, open: false, callbackNumber: null },
    { ...identified, entitled: false, entitlementReason: "unpaid" },
    { ...identified, contactType: "incident", priority: "critical", ticket: { id: 9, number: "2026-000123" } },
    { ...identified, contactType: "question", productId: 1, ticket: { id: 9, number: "2026-000123" }, callbackNumber: null },
  ];
}

/** Every TwiML document the app can answer Twilio with, with where Twilio fetches it. */
function everyDocument(): { name: string; xml: string; context: TwimlContext }[] {
  const documents: { name: string; xml: string; context: TwimlContext }[] = [];
  const add = (name: string, xml: string, context: TwimlContext = "call") => documents.push({ name, xml, context });
  const agents = [{ id: 5, phoneNumber: null }, { id: 6, phoneNumber: "+32475000111" }];
  {
    const context: StepContext = { urls, accountManagementNumber: "+3232000002" };
    for (const language of LANGS) {
      states(language).forEach((state, index) => {
        for (const [name, step] of Object.entries(STEPS) as [StepName, (typeof STEPS)[StepName]][]) {
          const where = `${name} (${language ?? "no language"}, state ${index})`;
          add(`enter ${where}`, runStep((twiml) => step.enter(state, context, twiml), context));
          if (!step.answer) continue;
          for (const digits of INPUTS) add(`answer ${where} with ${digits ?? "silence"}`, runStep((twiml) => step.answer!(state, { digits }, context, twiml), context));
        }
      });
    }
  }
  for (const language of LANGS) {
    for (const agent of agents) {
      add(`connectAgent ${language} ${agent.id}`, connectAgentTwiml(language, agent, "+3232000000", urls).toString());
      if (language) {
        add(`callbackBridge ${language} ${agent.id}`, callbackBridgeTwiml(language, "2026-004711", agent, "+3232000000", urls).toString());
        add(`callbackBridge no ticket ${language} ${agent.id}`, callbackBridgeTwiml(language, null, agent, "+3232000000", urls).toString());
      }
    }
    for (const offered of [true, false]) {
      add(`requeue ${language} ${offered}`, requeueTwiml(language, offered, urls).toString());
      add(`backToWait ${language} ${offered}`, backToWaitTwiml(language, offered, urls).toString(), "waitUrl");
      for (const position of [null, 0, 1, 7]) {
        for (const [average, waited] of [[null, null], [0, 0], [400, 100], [30, 600]] as const) {
          for (const speakersOnDuty of [0, 2]) {
            add(`queueWait ${language} ${offered} ${position} ${average} ${speakersOnDuty}`, queueWaitTwiml({ language, callbackOffered: offered, position, averageWaitSeconds: average, waitedSeconds: waited, speakersOnDuty }, urls).toString(), "waitUrl");
          }
        }
      }
    }
    add(`callbackChosen ${language}`, callbackChosenTwiml(language).toString(), "waitUrl");
    for (const result of QUEUE_RESULTS) add(`queueExit ${language} ${result}`, queueExitTwiml(language, result).toString());
    add(`callbackMissed ${language}`, callbackMissedTwiml(language).toString());
    add(`technicalFallback ${language}`, technicalFallbackTwiml(language, urls).toString());
    add(`goodbye ${language}`, goodbyeTwiml(language).toString());
  }
  add("hangup", hangupTwiml().toString());
  add("empty (status callbacks)", '<?xml version="1.0" encoding="UTF-8"?><Response/>');
  return documents;
}

describe("every TwiML document the app can produce is TwiML Twilio accepts", () => {
  it("walks every builder of ivr-flows and every step outcome in every language through Twilio's documented schema", () => {
    const documents = everyDocument();
    expect(documents.length).to.be.greaterThan(5000);
    const verbs = new Set<string>();
    const refused: string[] = [];
    for (const document of documents) {
      const root = parseTwiml(document.xml);
      root.children.forEach((verb) => verbs.add(verb.name));
      for (const issue of validateTwiml(root, document.context)) refused.push(`${document.name}: ${issue.path}: ${issue.message}`);
    }
    expect(refused.slice(0, 20), `${refused.length} refusals`).to.deep.equal([]);
    // The walk reached every verb the app uses.
    expect([...verbs].sort()).to.deep.equal(["Dial", "Enqueue", "Gather", "Hangup", "Leave", "Play", "Record", "Redirect", "Say"]);
  });

  it("refuses what Twilio refuses: unknown verbs, bad nesting, unknown attributes, bad values, verbs a waitUrl may not hold", () => {
    const issues = (xml: string, context: TwimlContext = "call") => validateTwiml(parseTwiml(xml), context).map((issue) => issue.message);
    expect(issues("<Response><Sms>hi</Sms></Response>")).to.deep.equal(["<Sms> is not a TwiML verb"]);
    expect(issues("<Response><Gather><Dial>+3232000000</Dial></Gather></Response>")).to.deep.equal(["<Dial> cannot be nested in <Gather>"]);
    expect(issues('<Response><Say colour="red">Hallo</Say></Response>')).to.deep.equal(["<Say> has no attribute colour"]);
    expect(issues('<Response><Gather numDigits="0" method="PUT"/></Response>')).to.have.length(2);
    expect(issues("<Response><Redirect/></Response>")[0]).to.contain("needs its text");
    expect(issues("<Response><Enqueue>desk-nl</Enqueue></Response>", "waitUrl")[0]).to.contain("not allowed in a waitUrl document");
    expect(issues("<Response><Leave/><Gather><Say>1</Say></Gather></Response>", "waitUrl")).to.deep.equal([]);
    expect(issues(`<Response><Enqueue>${"q".repeat(65)}</Enqueue></Response>`)[0]).to.contain("64 characters");
    expect(issues("<Response><Dial><Client>agent 5</Client></Dial></Response>")[0]).to.contain("not a client identity");
  });

  it("the simulator ends the call with Twilio's application error (12200) on TwiML Twilio refuses", async () => {
    const bodies: Record<string, string> = {
      "/voice": '<?xml version="1.0"?><Response><Say>Welkom</Say><Gather action="https://desk.example.be/twilio/ivr/x"><Dial>+3232000000</Dial></Gather></Response>',
    };
    const transport: WebhookTransport = async (url) => ({ status: 200, body: bodies[new URL(url).pathname] ?? "<Response/>" });
    const sim = new TwilioSimulator({ authToken: "t", voiceUrl: "https://desk.example.be/voice", transport });
    const call = await sim.start({ from: "+32470000001", to: "+3232000000" });
    expect(call.status).to.equal("ended");
    expect(call.outcome).to.match(/^application error: invalid TwiML: .*<Dial> cannot be nested in <Gather>.*\(error 12200\)$/);
    expect(TwilioSimulator.said(call), "nothing of a refused document is played").to.deep.equal([]);
  });
});
