import { expect } from "chai";
import type { Page } from "playwright-core";
import { browserTestBed, logInThroughForm, watchForScriptInjection } from "../browser/browser.js";
import { startTestServer } from "../support/app.js";
import { fixtures } from "../support/fixtures.js";
import { simulatorFor } from "../ivr/fixtures.js";

/** A host name that is not loopback, mapped to 127.0.0.1 inside Chromium: the desk as a LAN install sees it. */
const LAN_HOST = "servicedesk.lan";

/** What the browser reported against the policy on one page: violation events and console lines, page errors. */
interface CspWatch {
  violations: string[];
  errors: string[];
  failedRequests: string[];
}

/**
 * Listens on every document of the page for `securitypolicyviolation` (installed before any script of the page
 * runs) and on the console for Chromium's "Refused to …" lines, so both ways of reporting a violation are seen.
 */
async function watchCsp(page: Page): Promise<CspWatch> {
  const watch: CspWatch = { violations: [], errors: [], failedRequests: [] };
  await page.exposeBinding("__reportCspViolation", (_source, text: string) => {
    watch.violations.push(text);
  });
  await page.addInitScript(() => {
    const w = window as unknown as { __cspViolations: string[]; __reportCspViolation?: (text: string) => void };
    w.__cspViolations = [];
    document.addEventListener("securitypolicyviolation", (event) => {
      const text = `${event.effectiveDirective} blocked ${event.blockedURI || "(inline)"} at ${event.sourceFile}:${event.lineNumber}`;
      w.__cspViolations.push(text);
      w.__reportCspViolation?.(text);
    });
  });
  page.on("console", (message) => {
    if (/content[- ]security[- ]policy|refused to (load|execute|apply|connect|frame|evaluate|create)/i.test(message.text())) watch.violations.push(`console: ${message.text()}`);
  });
  page.on("pageerror", (error) => watch.errors.push(error.message));
  page.on("requestfailed", (request) => {
    // Everything must load offline, the job board included (it no longer asks Google for fonts).
    // Leaving a page cancels what it still had open (the socket's long poll): not a failure of the page.
    if (request.failure()?.errorText === "net::ERR_ABORTED") return;
    watch.failedRequests.push(`${request.url()}: ${request.failure()?.errorText}`);
  });
  return watch;
}

/** Violations the current document still holds (read through page.evaluate) plus everything reported so far. */
async function violationsOf(page: Page, watch: CspWatch): Promise<string[]> {
  const inDocument = await page.evaluate(() => (window as unknown as { __cspViolations?: string[] }).__cspViolations ?? []);
  return [...new Set([...watch.violations, ...inDocument])];
}

describe("the agent UI under its Content-Security-Policy (real Chromium)", function () {
  this.timeout(90_000);
  const bed = browserTestBed([`--host-resolver-rules=MAP ${LAN_HOST} 127.0.0.1`], { resetAfter: true });

  async function newPage(): Promise<{ page: Page; watch: CspWatch }> {
    const context = await bed.newContext({ locale: "nl-BE" });
    const page = await context.newPage();
    return { page, watch: await watchCsp(page) };
  }

  async function expectClean(page: Page, watch: CspWatch): Promise<void> {
    expect(await violationsOf(page, watch), "CSP violations").to.deep.equal([]);
    expect(watch.errors, "page errors").to.deep.equal([]);
    expect(watch.failedRequests, "failed requests").to.deep.equal([]);
  }

  it("sends a policy without inline or eval'd script on every page", async () => {
    for (const path of ["/", "/admin.html", "/simulator.html", "/api/me", "/healthz"]) {
      const policy = (await fetch(bed.server.url + path)).headers.get("content-security-policy") ?? "";
      const directives = new Map(policy.split(";").map((part) => part.trim().split(/\s+/)).map(([name, ...values]) => [name!, values]));
      expect(directives.get("script-src"), path).to.deep.equal(["'self'"]);
      expect(directives.get("script-src-attr"), path).to.deep.equal(["'none'"]);
      expect(directives.get("object-src"), path).to.deep.equal(["'none'"]);
      expect(directives.get("frame-ancestors"), path).to.deep.equal(["'self'"]);
      expect(directives.has("upgrade-insecure-requests"), path).to.equal(false);
    }
  });

  it("runs the console (login, live screen-pop over the socket, accept, ticket, lists, supervisor view) with zero violations", async () => {
    const make = fixtures(bed.server.context.dataSource);
    await make.entitledCaller({ phone: "+32470556677", language: "nl" });
    const sofie = await make.agent({ name: "Sofie Maes", role: "supervisor", languages: ["nl"] });
    const { page, watch } = await newPage();
    const injected = watchForScriptInjection(page);

    await logInThroughForm(page, bed.server.url, sofie.email);
    await page.waitForSelector("[data-testid=me-name]");
    await page.selectOption("[data-testid=status-select]", "available");
    const simulator = simulatorFor(bed.server);
    const call = await simulator.start({ from: "0470 55 66 77", to: "+3232000000" });
    await page.locator("[data-testid=screen-pop]").waitFor();
    await simulator.press(call, "1");
    await page.locator("[data-testid=pop-accept]").click();
    await page.waitForSelector("[data-testid=current-call] [data-testid=ticket-view]");
    await page.locator("[data-testid=ticket-note]").fill("Gebeld onder de CSP");
    await page.locator("[data-testid=ticket-save]").click();
    await page.waitForSelector("[data-testid=ticket-saved]");

    await page.click("[data-testid=nav-tickets]");
    await page.waitForSelector("[data-testid=ticket-search]");
    await page.click("[data-testid=nav-customers]");
    await page.waitForSelector("[data-testid=customer-search]");
    await page.click("[data-testid=nav-supervisor]");
    await page.waitForSelector("[data-testid=hourly-chart] svg");
    await page.waitForSelector("[data-testid=supervisor-agents]");

    await expectClean(page, watch);
    expect(injected.dialogs).to.deep.equal([]);
  });

  it("runs every administration page and its editor with zero violations", async () => {
    const admin = await fixtures(bed.server.context.dataSource).agent({ role: "admin", name: "Ada Admin" });
    const { page, watch } = await newPage();
    await page.goto(`${bed.server.url}/admin.html`);
    await page.click("[data-testid=language-en]");
    await page.fill("input[name=email]", admin.email);
    await page.fill("input[name=password]", "correct horse battery");
    await page.click("button[type=submit]");
    await page.waitForSelector("[data-testid=who]");
    for (const item of ["customers", "campuses", "persons", "products", "contracts", "sla-policies", "agents", "import", "report", "audit"]) {
      await page.click(`[data-testid=nav-${item}]`);
      await page.waitForSelector(`[data-testid=page-${item}]`);
    }
    await page.click("[data-testid=nav-customers]");
    await page.click("[data-testid=new]");
    await page.waitForSelector("[data-testid=editor]");
    await page.fill("[data-testid=field-code]", "CSP-1");
    await page.fill("[data-testid=field-name]", "Zorggroep CSP");
    await page.click("[data-testid=save]");
    await page.waitForSelector("[data-testid=form-notice]");
    await expectClean(page, watch);
  });

  it("runs the phone simulator page (dial, keys, hang up) with zero violations", async () => {
    const agent = await fixtures(bed.server.context.dataSource).agent();
    const { page, watch } = await newPage();
    await logInThroughForm(page, bed.server.url, agent.email);
    await page.waitForSelector("[data-testid=me-name]");
    await page.goto(`${bed.server.url}/simulator.html`);
    await page.fill("input[name=from]", "+32470111222");
    await page.click("button[type=submit]");
    await page.waitForSelector("button[data-key='1']");
    await page.click("button[data-key='1']");
    await page.getByRole("button", { name: "Send keys" }).click();
    await page.getByRole("button", { name: "Hang up" }).click();
    await page.getByText(/caller hung up/).waitFor();
    await expectClean(page, watch);
  });

  it("shows the job board to an administrator with zero violations", async () => {
    const admin = await fixtures(bed.server.context.dataSource).agent({ role: "admin" });
    const { page, watch } = await newPage();
    await logInThroughForm(page, bed.server.url, admin.email);
    await page.waitForSelector("[data-testid=me-name]");
    await page.goto(`${bed.server.url}/admin/queues`);
    await page.waitForFunction(() => document.body.innerText.includes("Servicedesk jobs"));
    await page.waitForLoadState("networkidle");
    await expectClean(page, watch);
  });

  it("loads the console over plain http under a LAN host name (no forced https upgrade)", async () => {
    const { page, watch } = await newPage();
    await page.goto(`http://${LAN_HOST}:${bed.server.port}/`);
    await page.waitForSelector("[data-testid=login-form]", { timeout: 10_000 });
    await expectClean(page, watch);
  });
});

describe("Strict-Transport-Security only over https", () => {
  it("is absent from plain http answers, also when a client forges X-Forwarded-Proto; present behind a trusted https proxy", async () => {
    const direct = await startTestServer();
    const proxied = await startTestServer({ TRUST_PROXY: "1" });
    try {
      for (const path of ["/healthz", "/api/me"]) {
        expect((await fetch(`${direct.url}${path}`)).headers.get("strict-transport-security"), path).to.equal(null);
        expect((await fetch(`${direct.url}${path}`, { headers: { "x-forwarded-proto": "https" } })).headers.get("strict-transport-security"), path).to.equal(null);
        expect((await fetch(`${proxied.url}${path}`)).headers.get("strict-transport-security"), path).to.equal(null);
        expect((await fetch(`${proxied.url}${path}`, { headers: { "x-forwarded-proto": "https" } })).headers.get("strict-transport-security"), path).to.match(/max-age=\d+/);
      }
      // The other helmet headers stay on plain http.
      expect((await fetch(`${direct.url}/healthz`)).headers.get("content-security-policy")).to.match(/default-src 'self'/);
    } finally {
      await direct.close();
      await proxied.close();
    }
  });
});
