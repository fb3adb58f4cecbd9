import fs from "node:fs";
import path from "node:path";
import { expect } from "chai";
import type { Browser, Page } from "playwright-core";
import { Agent } from "../../../entities/Agent.js";
import { ReferencePerson } from "../../../entities/ReferencePerson.js";
import { hashPassword } from "../../../server/auth/passwords.js";
import { agentUiDist } from "../../../server/paths.js";
import { launchBrowser, watchForScriptInjection } from "../../browser/browser.js";
import type { TestServer } from "../../support/app.js";
import { mobileNumber } from "../../import/support.js";
import { seedCustomer, type AdminClient, startAdminSession } from "./helpers.js";

const PASSWORD = "correct horse battery staple";

describe("admin pages in Chromium", function () {
  this.timeout(90_000);
  let server: TestServer;
  let browser: Browser;
  let page: Page;
  let admin: AdminClient;
  let seen: { dialogs: string[]; errors: string[] };

  before(async () => {
    if (!fs.existsSync(path.join(agentUiDist, "admin.html"))) throw new Error("The admin page is not built: run `npx vite build --config agent-ui/vite.config.ts` (npm test does it).");
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    ({ server, admin } = await startAdminSession());
    page = await browser.newPage();
    seen = watchForScriptInjection(page);
  });
  afterEach(async () => {
    await page.close();
    await server.close();
  });

  async function logIn(role: "admin" | "supervisor" | "agent" = "admin", language = "en"): Promise<Agent> {
    const repository = server.context.dataSource.getRepository(Agent);
    const agent = await repository.save(repository.create({ email: `ui-${role}@care.test`, name: `UI ${role}`, passwordHash: await hashPassword(PASSWORD), role, languages: ["nl"], uiLanguage: "nl" }));
    await page.goto(`${server.url}/admin.html`);
    await page.click(`[data-testid=language-${language}]`);
    await page.fill("input[name=email]", agent.email);
    await page.fill("input[name=password]", PASSWORD);
    await page.click("button[type=submit]");
    return agent;
  }

  it("logs in, creates a customer through the form, shows field errors from the 400 and the 409, and searches", async () => {
    await logIn();
    await page.waitForSelector("[data-testid=page-customers]");
    await page.click("[data-testid=new]");
    await page.fill("[data-testid=field-name]", "Zorggroep Antwerpen");
    await page.click("[data-testid=save]");
    await page.waitForSelector("[data-testid=error-code]");
    expect(await page.textContent("[data-testid=form-error]")).to.contain("Some fields are not right");

    await page.fill("[data-testid=field-code]", "ZORG-A");
    await page.fill("[data-testid=field-supplierName]", "<script>window.__pwned = 1</script>");
    await page.click("[data-testid=save]");
    await page.waitForSelector("[data-testid=form-notice]");
    await page.waitForSelector("text=<script>window.__pwned = 1</script>");
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).to.equal(undefined);

    await page.click("[data-testid=new]");
    await page.fill("[data-testid=field-code]", "zorg-a");
    await page.fill("[data-testid=field-name]", "Again");
    await page.click("[data-testid=save]");
    await page.waitForSelector("[data-testid=error-code]");
    expect(await page.textContent("[data-testid=form-error]")).to.contain("already in use");

    await seedCustomer(admin, "ZORG-B");
    await page.fill("[data-testid=search]", "zorg-b");
    await page.press("[data-testid=search]", "Enter");
    await page.waitForFunction(() => document.querySelectorAll("[data-testid=row]").length === 1 && document.querySelector("[data-testid=row]")!.textContent!.includes("ZORG-B"));
    expect(seen).to.deep.equal({ dialogs: [], errors: [] });
  });

  it("shows a reference person's number errors, then resets the PIN and erases the person", async () => {
    const { customerId } = await seedCustomer(admin, "ZORG-A", ["Campus Noord"]);
    await admin.post("/persons", { customerId, role: "general", firstName: "Elise", lastName: "Vermeulen", phoneNumbers: [{ number: "0470 12 34 56" }] });
    await logIn();
    await page.click("[data-testid=nav-persons]");
    await page.click("[data-testid=row]");
    await page.fill("[data-testid=phone-0]", "0470 12");
    await page.click("[data-testid=save]");
    await page.waitForSelector("[data-testid=error-phoneNumbers]");
    expect(await page.textContent("[data-testid=error-phoneNumbers]")).to.contain("0.number");
    await page.fill("[data-testid=phone-0]", "03/123.45.67");
    await page.click("[data-testid=save]");
    await page.waitForSelector("[data-testid=form-notice]");
    await page.waitForSelector("[data-testid=row] >> text=+3231234567");

    await page.click("[data-testid=pin-generate]");
    const pinText = await page.textContent("[data-testid=generated-pin]");
    expect(pinText).to.match(/\d{6}/);
    await page.click("[data-testid=erase]");
    await page.click("[data-testid=erase-confirm]");
    await page.waitForSelector("[data-testid=erased-notice]");
    await page.waitForSelector("[data-testid=row] >> text=[erased] [erased]");
    const stored = await server.context.dataSource.getRepository(ReferencePerson).findOneByOrFail({ customerId });
    expect(stored.erasedAt).to.be.instanceOf(Date);
    expect(stored.pinHash).to.equal(null);
  });

  it("checks a 10,000-row CSV, imports it with a progress bar, and lists a bad file's problems by row", async () => {
    await seedCustomer(admin, "ZORG-A", ["Campus Noord"]);
    await logIn();
    await page.click("[data-testid=nav-import]");

    const bad = "customer;campus;role;firstName;lastName;phones\nZORG-A;;campus;An;Peeters;0470\nZORG-X;;general;Bert;Claes;\n";
    await page.setInputFiles("[data-testid=import-file]", { name: "bad.csv", mimeType: "text/csv", buffer: Buffer.from(bad) });
    await page.click("[data-testid=dry-run]");
    await page.waitForSelector("[data-testid=problems]");
    const rows = await page.$$eval("[data-testid=problem]", (trs) => trs.map((tr) => Array.from(tr.querySelectorAll("td")).map((td) => td.textContent)));
    expect(rows.map((r) => `${r[0]}:${r[1]}`)).to.deep.equal(["2:campus", "2:phones", "3:customer"]);
    expect(await page.isDisabled("[data-testid=import-start]")).to.equal(true);

    const lines = ["customer;campus;role;firstName;lastName;phones"];
    for (let i = 0; i < 10_000; i++) lines.push(`ZORG-A;Campus Noord;${i % 2 ? "campus" : "technical"};Voornaam${i};Achternaam${i};${mobileNumber(i).typed}`);
    await page.setInputFiles("[data-testid=import-file]", { name: "persons.csv", mimeType: "text/csv", buffer: Buffer.from(`\uFEFF${lines.join("\r\n")}`) });
    await page.click("[data-testid=dry-run]");
    await page.waitForSelector("[data-testid=report-summary] >> text=10000 rows, 10000 without problems");
    await page.click("[data-testid=import-start]");
    await page.waitForSelector("[data-testid=progress]");
    await page.waitForSelector("[data-testid=job-result]", { timeout: 60_000 });
    expect(await page.textContent("[data-testid=job-status]")).to.equal("Import completed.");
    expect(await page.textContent("[data-testid=progress-text]")).to.equal("10000 of 10000 rows (100%)");
    expect(await server.context.dataSource.getRepository(ReferencePerson).count()).to.equal(10_000);
  });

  it("shows the R3 report in Dutch and French", async () => {
    const a = await seedCustomer(admin, "ZORG-A", ["Campus Noord", "Campus Zuid"]);
    await admin.post("/persons", { customerId: a.customerId, role: "campus", campusId: a.campusIds[0], firstName: "An", lastName: "A" });
    await admin.post("/persons", { customerId: a.customerId, role: "technical", firstName: "Bert", lastName: "B" });
    await logIn("supervisor", "nl");
    await page.click("[data-testid=nav-report]");
    await page.waitForSelector("[data-testid=report-line]");
    expect(await page.textContent("[data-testid=campuses-without]")).to.equal("Campus Zuid");
    expect(await page.textContent("[data-testid=report-line] [data-testid=general]")).to.equal("ontbreekt");
    expect(await page.textContent("[data-testid=report-line] [data-testid=technical]")).to.equal("ingevuld");
    await page.selectOption("[data-testid=language]", "fr");
    await page.waitForSelector("[data-testid=nav-report] >> text=Rapport des personnes de référence (R3)");
    expect(await page.textContent("[data-testid=report-line] [data-testid=general]")).to.equal("manquant");
    expect(await page.$("[data-testid=new]")).to.equal(null);
  });

  it("tells an agent that their role has no access", async () => {
    await logIn("agent");
    await page.waitForSelector("[data-testid=no-access]");
    expect(await page.$("[data-testid=nav-customers]")).to.equal(null);
  });
});
