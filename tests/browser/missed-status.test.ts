import { expect } from "chai";
import type { Page } from "playwright-core";
import { agentStatusChanger } from "../../server/commands/agent-status-changer.js";
import { fixtures } from "../support/fixtures.js";
import { browserTestBed, logInThroughForm } from "./browser.js";

describe("the missed status in a real browser (issue 16)", function () {
  this.timeout(60_000);
  const bed = browserTestBed();

  async function newPage(): Promise<Page> {
    const context = await bed.newContext({ locale: "nl-BE" });
    return context.newPage();
  }

  it("shows an agent who missed a call as such, to them and to the supervisor, until they choose a status", async () => {
    const make = fixtures(bed.server.context.dataSource);
    const els = await make.agent({ name: "Els Janssens", languages: ["nl"] });
    const sofie = await make.agent({ name: "Sofie Maes", role: "supervisor", languages: ["nl"] });
    const page = await newPage();
    await logInThroughForm(page, bed.server.url, els.email);
    await page.waitForSelector("[data-testid=status-select]");
    await page.selectOption("[data-testid=status-select]", "available");
    await page.waitForSelector("text=Je bent beschikbaar");

    // What the dial action does when her leg is not answered.
    await agentStatusChanger(bed.server.context, { agentId: els.id, status: "missed" });
    await page.waitForSelector("text=Je hebt een oproep gemist");
    expect(await page.locator("[data-testid=status-select]").inputValue()).to.equal("missed");

    const supervisorPage = await newPage();
    await logInThroughForm(supervisorPage, bed.server.url, sofie.email);
    await supervisorPage.click("[data-testid=nav-supervisor]");
    await supervisorPage.waitForSelector(`[data-testid=supervisor-agents] tr[data-agent-id="${els.id}"] >> text=Oproep gemist`);

    await page.selectOption("[data-testid=status-select]", "available");
    await page.waitForSelector("text=Je bent beschikbaar");
    await supervisorPage.waitForSelector(`[data-testid=supervisor-agents] tr[data-agent-id="${els.id}"] >> text=Beschikbaar`);
  });
});
