import fs from "node:fs";
import path from "node:path";
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from "playwright-core";
import { agentUiDist } from "../../server/paths.js";
import { startTestServer, type TestServer } from "../support/app.js";
import { resetDatabase } from "../support/database.js";

/** Debian's Chromium, with the flags a headless CI container needs. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const FLAGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync",
  // A fake microphone, allowed without a prompt: the softphone asks for it when it answers.
  "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
];

/** Starts Chromium (with `extraArgs`, e.g. a --host-resolver-rules); fails with instructions when the browser or the built console is missing. */
export async function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium`);
  if (!fs.existsSync(path.join(agentUiDist, "index.html"))) {
    throw new Error("The console is not built: run `npx vite build --config agent-ui/vite.config.ts` (npm test does it).");
  }
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...FLAGS, ...extraArgs] });
}

/** Fails the test when the page shows a dialog (an injected alert) or throws. */
export function watchForScriptInjection(page: Page): { dialogs: string[]; errors: string[] } {
  const seen = { dialogs: [] as string[], errors: [] as string[] };
  page.on("dialog", (dialog) => {
    seen.dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  page.on("pageerror", (error) => seen.errors.push(error.message));
  return seen;
}

/** Logs in through the console's login form. */
export async function logInThroughForm(page: Page, baseUrl: string, email: string, password = "correct horse battery"): Promise<void> {
  await page.goto(baseUrl);
  await page.fill("input[name=email]", email);
  await page.fill("input[name=password]", password);
  await page.click("button[type=submit]");
}

/** Saves a screenshot when SD_SCREENSHOTS names a folder (for looking at the console by eye). */
export async function snapshot(page: Page, name: string): Promise<void> {
  const dir = process.env.SD_SCREENSHOTS;
  if (dir) await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true });
}

/** What browserTestBed gives each test: the describe's Chromium, its own server, contexts closed afterwards. */
export interface BrowserTestBed {
  browser: Browser;
  server: TestServer;
  newContext(options?: BrowserContextOptions): Promise<BrowserContext>;
}

/**
 * Registers the hooks of a browser test: one Chromium per describe (with `chromiumArgs`), a fresh server and
 * database per test whose IVR clock is always inside opening hours (tests never depend on the time of day), and
 * the test's browser contexts and server closed after it (`resetAfter` also empties the database then).
 */
export function browserTestBed(chromiumArgs: string[] = [], options: { resetAfter?: boolean } = {}): BrowserTestBed {
  const contexts: BrowserContext[] = [];
  const bed = {
    async newContext(contextOptions?: BrowserContextOptions) {
      const context = await bed.browser.newContext(contextOptions);
      contexts.push(context);
      return context;
    },
  } as BrowserTestBed;
  before(async () => {
    bed.browser = await launchBrowser(chromiumArgs);
  });
  after(async () => {
    await bed.browser?.close();
  });
  beforeEach(async () => {
    bed.server = await startTestServer();
    await resetDatabase(bed.server.context.dataSource);
    bed.server.context.now = () => bed.server.context.calendar.nextOpening(new Date());
  });
  afterEach(async () => {
    for (const context of contexts.splice(0)) await context.close();
    await bed.server.close();
    if (options.resetAfter) await resetDatabase(bed.server.context.dataSource);
  });
  return bed;
}
