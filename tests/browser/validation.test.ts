import { expect } from "chai";
import type { Page } from "playwright-core";
import { Agent } from "../../entities/Agent.js";
import { BillableEntry } from "../../entities/BillableEntry.js";
import { CostConsent } from "../../entities/CostConsent.js";
import { ticketCreator } from "../../server/commands/ticket-creator.js";
import { fixtures } from "../support/fixtures.js";
import { browserTestBed, logInThroughForm, snapshot } from "./browser.js";

describe("validation as the agent sees it, in a real browser", function () {
  this.timeout(60_000);
  const bed = browserTestBed();

  async function ticketPage(language: "nl" | "fr" | "en") {
    const make = fixtures(bed.server.context.dataSource);
    const world = await make.entitledCaller({ language });
    const agent = await make.agent({ name: "Els Janssens", languages: [language] });
    await bed.server.context.dataSource.getRepository(Agent).update({ id: agent.id }, { uiLanguage: language });
    const ticket = await ticketCreator(bed.server.context, { contactType: "incident", customerId: world.customer.id, reporterId: world.person.id, language, actor: { type: "caller", id: world.person.id } });
    const context = await bed.newContext({ locale: `${language}-BE` });
    const page = await context.newPage();
    await logInThroughForm(page, bed.server.url, agent.email);
    await page.waitForSelector("[data-testid=me-name]");
    await page.goto(`${bed.server.url}/#/tickets/${ticket.id}`);
    await page.waitForSelector("[data-testid=consent-form]");
    return { page, ticket, world };
  }
  const askConsent = async (page: Page, text: string, amount: string) => {
    const form = page.locator("[data-testid=consent-form]");
    await form.getByLabel(/Raming|Estimation|Estimate/).fill(text);
    await form.getByLabel(/Bedrag|Montant|Amount/).fill(amount);
    await form.locator("button[type=submit]").click();
  };
  const consents = () => bed.server.context.dataSource.getRepository(CostConsent).find();

  it("refuses a consent amount of 'abc' naming the field in Dutch, stores nothing, then records 95,50 as €95.50", async () => {
    const { page } = await ticketPage("nl");
    await askConsent(page, "1 uur herinstallatie", "abc");
    expect(await page.locator("[data-testid=consent-error]").innerText()).to.equal("Bedrag (€): geef een bedrag in euro, bijvoorbeeld 95 of 95,50.");
    await askConsent(page, "1 uur herinstallatie", "");
    expect(await page.locator("[data-testid=consent-error]").innerText()).to.equal("Bedrag (€): dit veld is verplicht.");
    expect(await consents()).to.have.length(0);

    // The server's refusal of a field is named in the agent's words too (a blank estimate passes the browser's check).
    await askConsent(page, "   ", "95");
    expect(await page.locator("[data-testid=consent-error]").innerText()).to.equal("Raming meegedeeld aan de klant: deze waarde wordt niet aanvaard; controleer ze en probeer opnieuw.");
    expect(await consents()).to.have.length(0);

    await askConsent(page, "1 uur herinstallatie", "95,50");
    await page.waitForSelector("[data-testid=consent-panel] >> text=1 uur herinstallatie");
    expect((await consents()).map((c) => c.estimateAmountCents)).to.deep.equal([9550]);
    await snapshot(page, "validation-consent-nl");
  });

  it("refuses minutes and amounts that are not numbers in French, and billable work under a consent that names no amount", async () => {
    const { page, ticket, world } = await ticketPage("fr");
    await askConsent(page, "2 heures", "quatre-vingts");
    expect(await page.locator("[data-testid=consent-error]").innerText()).to.equal("Montant (€) : indiquez un montant en euros, par exemple 95 ou 95,50.");

    // A consent recorded before amounts were required, given by the reference person.
    await bed.server.context.dataSource.getRepository(CostConsent).save({
      ticketId: ticket.id, status: "given", estimateText: "un peu de travail", estimateAmountCents: null, decidedByPersonId: world.person.id, method: "phone", decidedAt: new Date(),
    });
    const billable = page.locator("[data-testid=billable-form]");
    await billable.locator("input[name=minutes]").fill("une demi-heure");
    await billable.locator("input[name=description]").fill("Réinstallation");
    await billable.locator("button[type=submit]").click();
    expect(await page.locator("[data-testid=billable-error]").innerText()).to.equal("Minutes : indiquez un nombre entier, par exemple 30.");
    await billable.locator("input[name=minutes]").fill("30");
    await billable.locator("input[name=amount]").fill("abc");
    await billable.locator("button[type=submit]").click();
    expect(await page.locator("[data-testid=billable-error]").innerText()).to.equal("Montant (€, facultatif) : indiquez un montant en euros, par exemple 95 ou 95,50.");
    await billable.locator("input[name=amount]").fill("95");
    await billable.locator("button[type=submit]").click();
    await page.waitForFunction(() => /ne mentionne aucun montant/.test(document.querySelector("[data-testid=billable-error]")?.textContent ?? ""));
    expect(await page.locator("[data-testid=billable-error]").innerText()).to.equal(
      "Le consentement donné ne mentionne aucun montant : demandez un nouveau consentement avec le montant estimé avant d'enregistrer du travail facturable.",
    );
    expect(await bed.server.context.dataSource.getRepository(BillableEntry).count()).to.equal(0);
  });
});
