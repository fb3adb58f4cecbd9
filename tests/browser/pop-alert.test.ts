import { expect } from "chai";
import type { BrowserContext, Page } from "playwright-core";
import { Agent } from "../../entities/Agent.js";
import { Call } from "../../entities/Call.js";
import { fixtures } from "../support/fixtures.js";
import { browserTestBed, logInThroughForm, snapshot, watchForScriptInjection } from "./browser.js";
import { identifiedCall, settle, updateCall } from "../routes/console/helpers.js";

/**
 * Counts what the console asks of the browser: each play() of a sound and each desktop notification shown. Spies on
 * the browser's own APIs only (the console's code runs unchanged).
 */
const SPIES = () => {
  const w = window as unknown as { rings: number; notified: { title: string; body?: string }[] };
  w.rings = 0;
  w.notified = [];
  const play = HTMLMediaElement.prototype.play;
  HTMLMediaElement.prototype.play = function (this: HTMLMediaElement) {
    w.rings++;
    return play.call(this);
  };
  const Real = window.Notification;
  class Recorded extends Real {
    constructor(title: string, options?: NotificationOptions) {
      w.notified.push({ title, body: options?.body });
      super(title, options);
    }
  }
  Object.defineProperty(Recorded, "permission", { get: () => Real.permission });
  Object.defineProperty(Recorded, "requestPermission", { value: (...args: []) => Real.requestPermission(...args) });
  window.Notification = Recorded as typeof Notification;
};

describe("the pop alert in a real browser", function () {
  this.timeout(60_000);
  // Sound may play before the page is clicked (the login form's click already counts; this keeps it certain).
  const bed = browserTestBed(["--autoplay-policy=no-user-gesture-required"]);

  async function availableAgent(context: BrowserContext, email: string): Promise<Page> {
    const page = await context.newPage();
    await page.addInitScript(SPIES);
    await logInThroughForm(page, bed.server.url, email);
    await page.waitForSelector("[data-testid=status-select]");
    await page.selectOption("[data-testid=status-select]", "available");
    await page.waitForSelector("[data-testid=pops] >> [data-testid=pop-sound]");
    return page;
  }
  const rings = (page: Page) => page.evaluate(() => (window as unknown as { rings: number }).rings);
  const notified = (page: Page) => page.evaluate(() => (window as unknown as { notified: { title: string; body?: string }[] }).notified);

  it("chimes, notifies once permitted from its button, flashes the title, announces the caller and focuses accept; Alt+Shift+A takes the call", async () => {
    const make = fixtures(bed.server.context.dataSource);
    const world = await make.entitledCaller({ language: "nl" });
    const els = await make.agent({ name: "Els Janssens", languages: ["nl"] });
    const context = await bed.newContext({ locale: "nl-BE" });
    const page = await availableAgent(context, els.email);
    const injected = watchForScriptInjection(page);

    // No permission is asked on load: a button asks, saying why; the shortcuts are written out.
    expect(await page.evaluate(() => Notification.permission)).to.equal("default");
    expect(await page.locator("[data-testid=pops]").innerText()).to.contain("Krijg een bureaubladmelding als er een oproep binnenkomt");
    expect(await page.locator("[data-testid=pop-shortcuts]").innerText()).to.equal(
      "Toetsenbord: Alt+Shift+A neemt de oudste oproep aan, Alt+Shift+D weigert hem (hij blijft aangeboden aan collega's).",
    );
    await context.grantPermissions(["notifications"], { origin: bed.server.url });
    await page.click("[data-testid=pop-notify]");
    await page.waitForSelector("[data-testid=pop-notify]", { state: "detached" });
    const title = await page.title();

    const call = await identifiedCall(bed.server.context, { person: world.person, queued: true });
    const pop = page.locator(`[data-testid=screen-pop][data-call-id="${call.id}"]`);
    await pop.waitFor();
    const caller = `${world.person.firstName} ${world.person.lastName}`;
    const sentence = `Inkomende oproep van ${caller}, ${world.customer.name}.`;
    await page.waitForFunction((text) => document.querySelector("[data-testid=pop-announcement]")?.textContent === text, sentence);
    expect(await page.locator("[data-testid=pop-announcement]").getAttribute("aria-live")).to.equal("assertive");
    expect(await rings(page)).to.equal(1);
    expect(await notified(page)).to.deep.equal([{ title: "Inkomende oproep", body: sentence }]);
    await page.waitForFunction(() => document.title === "(1) Inkomende oproep");
    await page.waitForFunction((base) => document.title === base, title);
    expect(await page.evaluate(() => document.activeElement?.getAttribute("data-testid"))).to.equal("pop-accept");
    expect(await pop.locator("[data-testid=pop-accept]").getAttribute("aria-keyshortcuts")).to.equal("Alt+Shift+A");
    await snapshot(page, "pop-alert-nl");

    await page.keyboard.press("Alt+Shift+KeyA");
    await page.waitForSelector("[data-testid=current-call]");
    expect((await bed.server.context.dataSource.getRepository(Call).findOneByOrFail({ id: call.id })).acceptedByAgentId).to.equal(els.id);
    // The title stops flashing once no pop waits.
    await settle(1200);
    expect(await page.title()).to.equal(title);
    expect(injected.errors).to.deep.equal([]);
  });

  it("leaves the focus in a field being typed in, stays silent once the sound is off (remembered), and Alt+Shift+D declines", async () => {
    const make = fixtures(bed.server.context.dataSource);
    const world = await make.entitledCaller({ language: "fr" });
    const claire = await make.agent({ name: "Claire Dubois", languages: ["fr"] });
    await bed.server.context.dataSource.getRepository(Agent).update({ id: claire.id }, { uiLanguage: "fr" });
    const context = await bed.newContext({ locale: "fr-BE" });
    const page = await availableAgent(context, claire.email);

    await page.click("[data-testid=pop-sound]");
    expect(await page.locator("[data-testid=pop-sound]").innerText()).to.equal("Son coupé");
    expect(await page.locator("[data-testid=pop-sound]").getAttribute("aria-pressed")).to.equal("false");
    await page.reload();
    await page.waitForSelector("[data-testid=pop-sound]");
    expect(await page.locator("[data-testid=pop-sound]").getAttribute("aria-pressed")).to.equal("false");

    await page.goto(`${bed.server.url}/#/tickets`);
    await page.fill("[data-testid=ticket-search-q]", "Zorgdoss");
    const call = await identifiedCall(bed.server.context, { person: world.person, queued: true });
    await page.waitForSelector(`[data-testid=screen-pop][data-call-id="${call.id}"]`);
    await page.waitForFunction(() => /^Appel entrant de /.test(document.querySelector("[data-testid=pop-announcement]")?.textContent ?? ""));
    expect(await page.evaluate(() => document.activeElement?.getAttribute("data-testid"))).to.equal("ticket-search-q");
    await page.keyboard.type("ier");
    expect(await page.inputValue("[data-testid=ticket-search-q]")).to.equal("Zorgdossier");
    expect(await rings(page)).to.equal(0);

    await page.keyboard.press("Alt+Shift+KeyD");
    await page.waitForSelector("[data-testid=screen-pop]", { state: "detached" });
    // The call stays on offer to the others; an update of it does not bring the pop back here.
    await updateCall(bed.server.context, call.id, { waitSeconds: 20 });
    await settle(500);
    expect(await page.locator("[data-testid=screen-pop]").count()).to.equal(0);
    expect((await bed.server.context.dataSource.getRepository(Call).findOneByOrFail({ id: call.id })).acceptedByAgentId).to.equal(null);
    expect(await page.inputValue("[data-testid=ticket-search-q]")).to.equal("Zorgdossier");
  });
});
