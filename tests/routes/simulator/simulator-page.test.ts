import { expect } from "chai";
import type { Browser } from "playwright-core";
import { prompt } from "../../../ivr-flows/prompts/index.js";
import { launchBrowser, watchForScriptInjection } from "../../browser/browser.js";
import { startTestServer, type TestServer } from "../../support/app.js";
import { testDataSource } from "../../support/database.js";
import { fixtures } from "../../support/fixtures.js";
import { IvrFixtures, OPEN_NOW } from "../../ivr/fixtures.js";

describe("phone simulator page (agent-ui/simulator.html, real Chromium)", () => {
  let server: TestServer;
  let browser: Browser;
  before(async () => {
    browser = await launchBrowser();
  });
  after(async () => browser?.close());
  beforeEach(async () => {
    server = await startTestServer();
    server.context.now = () => OPEN_NOW;
  });
  afterEach(async () => server.close());

  it("asks for the console's login first, then dials the desk, shows what the caller hears, sends keys and hangs up", async () => {
    const fx = new IvrFixtures(await testDataSource());
    const { customer } = await fx.customer();
    const { phone } = await fx.person(customer, { firstName: "Ilse", language: "nl" });
    const agent = await fixtures(server.context.dataSource).agent();
    const page = await browser.newPage();
    const seen = watchForScriptInjection(page);
    try {
      await page.goto(`${server.url}/simulator.html`);
      await page.getByTestId("login-form").waitFor();
      expect(await page.locator("input[name=from]").count(), "no dial form before the login").to.equal(0);
      await page.fill("input[name=email]", agent.email);
      await page.fill("input[name=password]", "correct horse battery");
      await page.click("button[type=submit]");
      await page.locator("input[name=from]").waitFor();
      await page.fill("input[name=from]", phone!);
      await page.click("button[type=submit]");
      await page.getByText(prompt("nl", "welcome", { name: "Ilse" })).waitFor();
      await page.click("button[data-key='1']");
      await page.getByRole("button", { name: "Send keys" }).click();
      await page.getByText("waiting in queue desk-nl").waitFor();
      expect(await page.getByText(prompt("nl", "callbackOffer")).count()).to.equal(1);
      await page.getByRole("button", { name: "Hang up" }).click();
      await page.getByText(/caller hung up/).waitFor();
      expect((await fx.call((await page.locator(".sim-status small").textContent())!.trim())).outcome).to.equal("abandoned");
      expect(seen.errors).to.deep.equal([]);
    } finally {
      await page.close();
    }
  });
});
