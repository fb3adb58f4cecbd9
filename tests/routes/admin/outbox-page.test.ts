import { expect } from "chai";
import type { Browser, Page } from "playwright-core";
import { Agent } from "../../../entities/Agent.js";
import { OutboxMessage } from "../../../entities/OutboxMessage.js";
import { hashPassword } from "../../../server/auth/passwords.js";
import { launchBrowser, watchForScriptInjection } from "../../browser/browser.js";
import type { TestServer } from "../../support/app.js";
import { startAdminServer } from "./helpers.js";

const PASSWORD = "correct horse battery staple";

describe("the outbox dead-letter page in Chromium", function () {
  this.timeout(90_000);
  let server: TestServer;
  let browser: Browser;
  let page: Page;

  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
  });
  beforeEach(async () => {
    server = await startAdminServer();
    page = await browser.newPage();
  });
  afterEach(async () => {
    await page.close();
    await server.close();
  });

  async function logIn(role: "admin" | "supervisor"): Promise<void> {
    const repository = server.context.dataSource.getRepository(Agent);
    const agent = await repository.save(repository.create({ email: `outbox-${role}@care.test`, name: `UI ${role}`, passwordHash: await hashPassword(PASSWORD), role, languages: ["nl"], uiLanguage: "nl" }));
    await page.goto(`${server.url}/admin.html`);
    await page.click("[data-testid=language-en]");
    await page.fill("input[name=email]", agent.email);
    await page.fill("input[name=password]", PASSWORD);
    await page.click("button[type=submit]");
    await page.waitForSelector("[data-testid=page-customers]");
  }

  it("shows an administrator the dead letters with their failure, and retries one", async () => {
    const seen = watchForScriptInjection(page);
    const dead = await server.context.dataSource.getRepository(OutboxMessage).save({
      topic: "callback.requested",
      payload: { callbackId: 12 },
      publishedAt: null,
      attempts: 20,
      lastError: "jobs: Redis is down <img src=x onerror=alert(1)>",
      deliveredTo: ["realtime"],
      deadAt: new Date(),
    });
    await logIn("admin");
    await page.click("[data-testid=nav-outbox]");
    const row = await page.waitForSelector(`[data-testid=dead-letter-${dead.id}]`);
    expect(await row.textContent()).to.contain("callback.requested").and.contain("jobs: Redis is down").and.contain("realtime");
    await page.click(`[data-testid=retry-${dead.id}]`);
    await page.waitForSelector("[data-testid=outbox-empty]");
    expect((await server.context.dataSource.getRepository(OutboxMessage).findOneByOrFail({ id: dead.id })).deadAt).to.equal(null);
    expect(seen).to.deep.equal({ dialogs: [], errors: [] });
  });

  it("offers the page to administrators only", async () => {
    await logIn("supervisor");
    expect(await page.$("[data-testid=nav-audit]")).to.not.equal(null);
    expect(await page.$("[data-testid=nav-outbox]")).to.equal(null);
  });
});
