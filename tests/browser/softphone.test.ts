import { expect } from "chai";
import { Agent } from "../../entities/Agent.js";
import { CallEvent } from "../../entities/CallEvent.js";
import { Call } from "../../entities/Call.js";
import { waitForRedirect } from "../../server/twilio/simulator.js";
import { RedisSoftphoneBus } from "../../server/twilio/softphone-bus.js";
import { fixtures } from "../support/fixtures.js";
import { waitFor } from "../support/wait.js";
import { browserTestBed, logInThroughForm, snapshot, watchForScriptInjection } from "./browser.js";
import { simulatorFor } from "../ivr/fixtures.js";

describe("the console's softphone in a real browser (simulation mode, fake microphone)", function () {
  this.timeout(60_000);
  const bed = browserTestBed();

  it("accepting a pop: the simulated softphone rings, answers by itself, shows caller and timer; hang-up completes the dial", async () => {
    const make = fixtures(bed.server.context.dataSource);
    const world = await make.entitledCaller({ phone: "+32470998866", language: "nl" });
    const els = await make.agent({ name: "Els Janssens", languages: ["nl"] });
    const page = await (await bed.newContext({ locale: "nl-BE" })).newPage();
    const injected = watchForScriptInjection(page);
    await logInThroughForm(page, bed.server.url, els.email);
    await page.waitForSelector("[data-testid=status-select]");
    await page.selectOption("[data-testid=status-select]", "available");
    await page.waitForSelector("[data-testid=softphone-registered][data-state=registered]", { state: "attached" });
    const bus = new RedisSoftphoneBus(bed.server.context.redis, bed.server.context.env.REDIS_PREFIX);
    expect(await bus.isRegistered(`agent-${els.id}`)).to.equal(true);

    const simulator = simulatorFor(bed.server);
    const call = await simulator.start({ from: "0470 99 88 66", to: "+3232000000" });
    await simulator.press(call, "2");
    await simulator.press(call, "1");
    expect(call.status, call.outcome).to.equal("queue");
    const pop = page.locator("[data-testid=screen-pop]");
    await pop.locator("[data-testid=pop-accept]:not([disabled])").click();

    // Twilio dequeues the caller and dials the agent's Client: the console rings and answers without a second click.
    const url = await waitForRedirect(bed.server.context.redis, bed.server.context.env.REDIS_PREFIX, call.callSid, 5000);
    await simulator.redirect(call, url!);
    expect(call.dial?.to).to.equal(`client:agent-${els.id}`);
    await waitFor(async () => (await simulator.pollDial(call)).connectedTo, 10_000, "the softphone to answer");
    const bar = page.locator("[data-testid=softphone-bar][data-state=connected]");
    await bar.waitFor();
    expect(await bar.locator("[data-testid=softphone-caller]").innerText()).to.equal(`${world.person.firstName} ${world.person.lastName}`);
    await page.waitForFunction(() => /^0:0[1-9]$/.test(document.querySelector("[data-testid=softphone-timer]")?.textContent ?? ""));
    expect(await bar.locator("[data-testid=softphone-status]").innerText()).to.equal("In gesprek");

    // Mute and the keypad (the caller's side hears the keys).
    await bar.locator("[data-testid=softphone-mute]").click();
    expect(await bar.locator("[data-testid=softphone-mute]").getAttribute("aria-pressed")).to.equal("true");
    await bar.locator("[data-testid=softphone-keypad-toggle]").click();
    await bar.locator("[data-testid=softphone-key-4]").click();
    await bar.locator("[data-testid=softphone-key-hash]").click();
    await waitFor(async () => (await simulator.pollDial(call)).dial?.digits === "4#", 5000, "the keys to reach the caller");
    await snapshot(page, "softphone-connected");

    await bar.locator("[data-testid=softphone-hangup]").click();
    await waitFor(async () => (await simulator.pollDial(call)).status === "ended", 5000, "the dial to end");
    await page.locator("[data-testid=softphone-bar][data-state=ended]").waitFor();
    const row = await bed.server.context.dataSource.getRepository(Call).findOneByOrFail({ callSid: call.callSid });
    const ended = await bed.server.context.dataSource.getRepository(CallEvent).findOneByOrFail({ callId: row.id, type: "agent_dial_ended" });
    expect(ended.data).to.deep.include({ agentId: els.id, dialCallStatus: "completed" });
    await page.locator("[data-testid=softphone-bar]").waitFor({ state: "detached", timeout: 10_000 });
    expect(injected.errors).to.deep.equal([]);
  });

  it("going offline unregisters the softphone, and the bar says why a declined call ended", async () => {
    const make = fixtures(bed.server.context.dataSource);
    const els = await make.agent({ name: "Els Janssens", languages: ["nl"] });
    const page = await (await bed.newContext({ locale: "nl-BE" })).newPage();
    await logInThroughForm(page, bed.server.url, els.email);
    await page.waitForSelector("[data-testid=status-select]");
    await page.selectOption("[data-testid=status-select]", "available");
    const bus = new RedisSoftphoneBus(bed.server.context.redis, bed.server.context.env.REDIS_PREFIX);
    await waitFor(() => bus.isRegistered(`agent-${els.id}`), 5000, "the softphone to register");
    // A ring that is not an accepted call waits for the agent: declining it is Twilio's busy.
    await bus.ring({ dialCallSid: `CA${"a".repeat(32)}`, callSid: `CA${"b".repeat(32)}`, identity: `agent-${els.id}`, from: "+32470111222", to: "+3232000000", ringingAt: new Date().toISOString(), timeoutSeconds: 20 });
    const bar = page.locator("[data-testid=softphone-bar][data-state=ringing]");
    await bar.waitFor();
    expect(await bar.locator("[data-testid=softphone-caller]").innerText()).to.equal("+32470111222");
    await bar.locator("[data-testid=softphone-reject]").click();
    await page.locator("[data-testid=softphone-bar][data-state=ended] [data-testid=softphone-status]:has-text('Oproep geweigerd')").waitFor();
    expect(await bus.actions(`CA${"b".repeat(32)}`)).to.deep.equal([{ kind: "reject", dialCallSid: `CA${"a".repeat(32)}` }]);

    await page.selectOption("[data-testid=status-select]", "offline");
    await waitFor(async () => !(await bus.isRegistered(`agent-${els.id}`)), 5000, "the softphone to unregister");
  });

  it("says in the console's language that the microphone was denied, and does not answer", async () => {
    const make = fixtures(bed.server.context.dataSource);
    const els = await make.agent({ name: "Élise Janssens", languages: ["fr"] });
    await bed.server.context.dataSource.getRepository(Agent).update({ id: els.id }, { uiLanguage: "fr" });
    const context = await bed.newContext({ locale: "fr-BE" });
    // The browser refuses the microphone, as when the agent clicked "Block" (Chromium's own prompt is faked in these tests).
    await context.addInitScript(() => {
      navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException("Permission denied", "NotAllowedError"));
    });
    const page = await context.newPage();
    await logInThroughForm(page, bed.server.url, els.email);
    await page.waitForSelector("[data-testid=status-select]");
    await page.selectOption("[data-testid=status-select]", "available");
    const bus = new RedisSoftphoneBus(bed.server.context.redis, bed.server.context.env.REDIS_PREFIX);
    await waitFor(() => bus.isRegistered(`agent-${els.id}`), 5000, "the softphone to register");
    await bus.ring({ dialCallSid: `CA${"c".repeat(32)}`, callSid: `CA${"d".repeat(32)}`, identity: `agent-${els.id}`, from: "+32470111333", to: "+3232000000", ringingAt: new Date().toISOString(), timeoutSeconds: 20 });
    await page.locator("[data-testid=softphone-answer]").click();
    const error = page.locator("[data-testid=softphone-error][data-code=microphone-denied]");
    await error.waitFor();
    expect(await page.locator("html").getAttribute("lang")).to.equal("fr");
    expect(await error.innerText()).to.contain("Le micro a été refusé");
    expect(await page.locator("[data-testid=softphone-bar]").getAttribute("data-state")).to.equal("ringing");
    expect(await bus.actions(`CA${"d".repeat(32)}`)).to.deep.equal([]);
  });
});
