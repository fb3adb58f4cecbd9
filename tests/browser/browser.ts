import fs from "node:fs";
import path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { agentUiDist } from "../../server/paths.js";

/** Debian's Chromium, with the flags a headless CI container needs. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

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
