import { expect } from "chai";
import type { Browser } from "playwright-core";
import { fixtures } from "../support/fixtures.js";
import { freePort } from "../support/wait.js";
import { AppProcess } from "../scale/support/app-process.js";
import { DESK, twilioFor } from "../scale/support/callers.js";
import { callers, deleteKeys, sharedDatabase, uniquePrefix, type SharedDatabase } from "../scale/support/desk.js";
import { launchBrowser, logInThroughForm } from "./browser.js";

const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";

describe("the agent console when its server restarts (real Chromium, real app process)", function () {
  this.timeout(120_000);
  let db: SharedDatabase;
  let browser: Browser;
  let app: AppProcess | undefined;
  let prefix: string;
  let port: number;

  before(async () => {
    db = await sharedDatabase();
    browser = await launchBrowser();
    prefix = uniquePrefix("reconnect");
    port = await freePort();
  });
  after(async () => {
    await app?.stop();
    await browser?.close();
    await deleteKeys(REDIS_URL, prefix);
    await db?.close();
  });
  const start = () => AppProcess.start("app", port, { ...db.env, REDIS_URL, REDIS_PREFIX: prefix, PUBLIC_BASE_URL: `http://127.0.0.1:${port}` });

  it("shows it is connected again by itself, without a reload, and pops the next call", async () => {
    const [caller] = await callers(db.dataSource, 1, "en");
    const agent = await fixtures(db.dataSource).agent({ name: "Ann Peeters", languages: ["en"] });
    app = await start();
    const context = await browser.newContext({ locale: "en-GB" });
    const page = await context.newPage();
    let loads = 0;
    page.on("load", () => loads++);
    await logInThroughForm(page, app.url, agent.email);
    await page.waitForSelector("[data-testid=status-select]");
    await page.selectOption("[data-testid=status-select]", "available");
    await page.waitForSelector(".connection.ok");
    const loadsBefore = loads;

    await app.stop();
    await page.waitForSelector(".connection.down", { timeout: 15_000 });
    // Down for a few seconds, so the console's back-off has grown before the server returns on the same port.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    app = await start();
    const back = Date.now();
    await page.waitForSelector(".connection.ok", { timeout: 20_000 });
    // Back-off is capped at about 10 s: the console finds the server within that, plus the handshake.
    expect(Date.now() - back, "ms until connected again").to.be.below(15_000);
    expect(loads, "page reloads").to.equal(loadsBefore);

    // The reconnected socket receives what is pushed now: a pop for a new call.
    await twilioFor(app.url).start({ from: caller!.phone, to: DESK });
    await page.locator("[data-testid=screen-pop]").waitFor({ timeout: 15_000 });
    await context.close();
  });
});
