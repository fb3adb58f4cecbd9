import { expect } from "chai";
import type { Page } from "playwright-core";
import { Contract } from "../../entities/Contract.js";
import { ReferencePerson } from "../../entities/ReferencePerson.js";
import { fixtures } from "../support/fixtures.js";
import { browserTestBed, logInThroughForm, snapshot } from "./browser.js";

describe("administration forms and way-finding in a real browser", function () {
  this.timeout(60_000);
  const bed = browserTestBed();

  async function loggedIn(email: string): Promise<Page> {
    const context = await bed.newContext({ viewport: { width: 1440, height: 900 }, locale: "nl-BE" });
    const page = await context.newPage();
    await logInThroughForm(page, bed.server.url, email);
    await page.waitForSelector("[data-testid=me-name]");
    return page;
  }
  const optionTexts = (page: Page, selector: string) => page.locator(selector).evaluate((select) => [...(select as HTMLSelectElement).options].map((o) => o.text));

  it("shows the SLA policies in the select and the products as checkboxes right after a new contract is saved, and edits the right records", async () => {
    const make = fixtures(bed.server.context.dataSource);
    const customer = await make.customer({ name: "WZC De Linde" });
    const policy = await make.slaPolicy({ name: "Standaard kantooruren" });
    const other = await make.slaPolicy({ name: "24/7 kritiek" });
    const product = await make.product({ name: "Zorgdossier" });
    const medication = await make.product({ name: "Medicatie" });
    const admin = await make.agent({ role: "admin", name: "Ann Admin" });
    const page = await loggedIn(admin.email);
    await page.goto(`${bed.server.url}/admin.html#/contracts`);
    await page.click("[data-testid=new]");
    const editor = page.locator("[data-testid=editor]");
    await editor.locator("[data-testid=field-reference]").fill("MC-2026-77");
    await editor.locator("[data-testid=field-customerId]").selectOption(String(customer.id));
    await editor.locator("[data-testid=field-validFrom]").fill("2026-01-01");
    await editor.locator("[data-testid=field-validTo]").fill("2026-12-31");
    await editor.locator("[data-testid=field-paid]").check();
    await editor.locator("[data-testid=field-slaPolicyId]").selectOption(String(policy.id));
    await editor.locator("[data-testid=field-productIds]").getByLabel(`${product.code} — Zorgdossier`, { exact: true }).check();
    await editor.locator("[data-testid=save]").click();
    await page.waitForSelector("[data-testid=form-notice]");

    // The edit form of the saved contract: SLA policies in their select, products (not SLA policies) as checkboxes.
    await page.waitForFunction(() => (document.querySelector("[data-testid=field-slaPolicyId]") as HTMLSelectElement | null)?.options.length === 3);
    expect(await optionTexts(page, "[data-testid=field-slaPolicyId]")).to.have.members(["— kies —", "Standaard kantooruren", "24/7 kritiek"]);
    expect(await editor.locator("[data-testid=field-slaPolicyId]").inputValue()).to.equal(String(policy.id));
    const checks = editor.locator("[data-testid=field-productIds] label");
    await page.waitForFunction(() => document.querySelectorAll("[data-testid=field-productIds] label").length === 2);
    expect((await checks.allInnerTexts()).map((text) => text.trim())).to.have.members([`${product.code} — Zorgdossier`, `${medication.code} — Medicatie`]);
    expect(await editor.locator("[data-testid=field-productIds]").getByLabel(`${product.code} — Zorgdossier`, { exact: true }).isChecked()).to.equal(true);
    await snapshot(page, "admin-contract-after-create");

    // Editing then changes what it says it changes.
    await editor.locator("[data-testid=field-slaPolicyId]").selectOption(String(other.id));
    await editor.locator("[data-testid=field-productIds]").getByLabel(`${medication.code} — Medicatie`, { exact: true }).check();
    await editor.locator("[data-testid=save]").click();
    // Saved when the list shows the second product (the notice is still there from the first save).
    await page.waitForFunction((code) => (document.querySelector("[data-testid=row]")?.textContent ?? "").includes(code), medication.code);
    const stored = await bed.server.context.dataSource.getRepository(Contract).findOneOrFail({ where: { reference: "MC-2026-77" }, relations: { products: true } });
    expect(stored.slaPolicyId).to.equal(other.id);
    expect(stored.products.map((p) => p.id).sort()).to.deep.equal([product.id, medication.id].sort());
  });

  it("links the console to the administration and back for a supervisor, not for an agent; the job board sends others to a page, not JSON", async () => {
    const make = fixtures(bed.server.context.dataSource);
    const supervisor = await make.agent({ role: "supervisor", name: "Sofie Maes" });
    const agent = await make.agent({ name: "Els Janssens" });

    const page = await loggedIn(supervisor.email);
    await page.getByRole("link", { name: "Beheer" }).click();
    await page.waitForURL(/\/admin\.html/);
    await page.waitForSelector("[data-testid=page-customers]");
    // Supervisors read the administration; the job board link is for administrators only.
    expect(await page.locator("[data-testid=nav-jobs]").count()).to.equal(0);
    await page.getByRole("link", { name: "Agentconsole" }).click();
    await page.waitForSelector("[data-testid=me-name]");
    expect(await page.locator("[data-testid=me-name]").innerText()).to.equal("Sofie Maes");

    // The job board, opened by a supervisor in the browser: a page saying why, with the way back.
    await page.goto(`${bed.server.url}/admin/queues`);
    expect(await page.locator("h1").innerText()).to.equal("Geen toegang");
    await page.getByRole("link", { name: "Terug naar de console" }).click();
    await page.waitForSelector("[data-testid=me-name]");

    const agentPage = await loggedIn(agent.email);
    expect(await agentPage.getByRole("link", { name: "Beheer" }).count()).to.equal(0);
  });

  it("shows recent customers with paging before any search, and marks an inactive reference person", async () => {
    const make = fixtures(bed.server.context.dataSource);
    for (let i = 1; i <= 22; i++) await make.customer({ name: `Klant ${String(i).padStart(2, "0")}` });
    const linde = await make.customer({ name: "WZC De Linde" });
    const marleen = await make.person(linde, { firstName: "Marleen", lastName: "Oud", phones: ["+32470555666"] });
    await bed.server.context.dataSource.getRepository(ReferencePerson).update({ id: marleen.id }, { active: false });
    const agent = await make.agent({ name: "Els Janssens" });
    const page = await loggedIn(agent.email);
    await page.click("[data-testid=nav-customers]");
    await page.waitForSelector("[data-testid=customer-recent]");
    expect(await page.locator("[data-testid=customer-recent] li").count()).to.equal(20);
    expect(await page.locator("[data-testid=customers-page]").innerText()).to.equal("Pagina 1 van 2 (23)");
    await page.click("[data-testid=customers-next]");
    await page.waitForFunction(() => document.querySelectorAll("[data-testid=customer-recent] li").length === 3);
    expect(await page.locator("[data-testid=customers-page]").innerText()).to.equal("Pagina 2 van 2 (23)");

    // A search by her number finds her, marked inactive; so does the customer page.
    await page.getByLabel("Zoeken").fill("0470 55 56 66");
    await page.getByRole("button", { name: "Zoeken" }).click();
    await page.waitForSelector("[data-testid=customer-results]");
    expect(await page.locator("[data-testid=customer-results]").innerText()).to.contain("Marleen Oud").and.contain("inactief");
    await page.click("[data-testid=customer-results] a");
    await page.waitForSelector("[data-testid=customer-persons]");
    expect(await page.locator("[data-testid=customer-person]", { hasText: "Marleen Oud" }).locator("[data-testid=person-inactive]").innerText()).to.equal("inactief");
  });
});
