import { expect } from "chai";
import type { Page } from "playwright-core";
import { ReferencePerson } from "../../entities/ReferencePerson.js";
import { ticketCreator } from "../../server/commands/ticket-creator.js";
import { fixtures } from "../support/fixtures.js";
import { seriousAxeFindings } from "./axe.js";
import { browserTestBed, logInThroughForm, snapshot } from "./browser.js";

const VIEWPORT = { width: 1440, height: 900 };

/** How far the page is wider than the window (0 when it fits), and the elements sticking out on the right. */
async function overflow(page: Page): Promise<{ excess: number; wide: string[] }> {
  return page.evaluate((width) => {
    const excess = Math.max(0, document.documentElement.scrollWidth - width);
    const wide = [...document.querySelectorAll("body *")]
      .filter((element) => element.getBoundingClientRect().right > width + 1)
      .slice(0, 5)
      .map((element) => `${element.tagName.toLowerCase()}.${element.className}[${element.getAttribute("data-testid") ?? ""}]`);
    return { excess, wide };
  }, VIEWPORT.width);
}

/** Words the page's table cells broke in the middle (a line that ends inside a word), as text seen on screen. */
async function splitWords(page: Page, selector: string): Promise<string[]> {
  return page.evaluate((selector) => {
    const split: string[] = [];
    for (const cell of document.querySelectorAll<HTMLElement>(selector)) {
      const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const text = node.textContent ?? "";
        const range = document.createRange();
        let lastTop: number | null = null;
        for (let i = 0; i < text.length; i++) {
          range.setStart(node, i);
          range.setEnd(node, i + 1);
          const rect = range.getBoundingClientRect();
          if (rect.width === 0) continue;
          if (lastTop !== null && rect.top > lastTop + 2 && /\w/.test(text[i - 1] ?? "") && /\w/.test(text[i]!)) split.push(text);
          lastTop = rect.top;
        }
      }
    }
    return split;
  }, selector);
}

/** Inputs whose placeholder is wider than the input shows (cut off), and inputs with no accessible name at all. */
async function inputProblems(page: Page): Promise<{ cut: string[]; unlabelled: string[] }> {
  return page.evaluate(() => {
    const canvas = document.createElement("canvas").getContext("2d")!;
    const cut: string[] = [];
    const unlabelled: string[] = [];
    for (const input of document.querySelectorAll<HTMLInputElement>("input:not([type=hidden]), textarea, select")) {
      if (input.offsetParent === null) continue;
      const style = getComputedStyle(input);
      if ("placeholder" in input && input.placeholder) {
        canvas.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
        const room = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
        if (canvas.measureText(input.placeholder).width > room + 1) cut.push(input.placeholder);
      }
      const labelled = input.labels?.length || input.getAttribute("aria-label") || input.getAttribute("aria-labelledby");
      if (!labelled) unlabelled.push(input.outerHTML.slice(0, 120));
    }
    return { cut, unlabelled };
  });
}

describe("layout and accessibility of the console and the admin pages (real Chromium, 1440 px)", function () {
  this.timeout(120_000);
  const bed = browserTestBed();

  async function world() {
    const make = fixtures(bed.server.context.dataSource);
    const caller = await make.entitledCaller({ language: "nl" });
    await make.person(caller.customer, { role: "technical", firstName: "Pieter-Jan", lastName: "Vandenbroucke-Verstraeten", phones: ["+32470111222"] });
    const gone = await make.person(caller.customer, { role: "general", firstName: "Marleen", lastName: "Oud" });
    await bed.server.context.dataSource.getRepository(ReferencePerson).update({ id: gone.id }, { active: false });
    const admin = await make.agent({ role: "admin", name: "Ann Admin", languages: ["nl", "fr"] });
    const ticket = await ticketCreator(bed.server.context, { contactType: "incident", customerId: caller.customer.id, reporterId: caller.person.id, language: "nl", actor: { type: "caller", id: caller.person.id } });
    return { ...caller, admin, ticket };
  }

  async function loggedIn(email: string): Promise<Page> {
    const context = await bed.newContext({ viewport: VIEWPORT, locale: "nl-BE" });
    const page = await context.newPage();
    await logInThroughForm(page, bed.server.url, email);
    await page.waitForSelector("[data-testid=me-name]");
    return page;
  }

  it("fits every console page in the window, with no serious or critical axe finding", async () => {
    const w = await world();
    const page = await loggedIn(w.admin.email);
    const pages: [string, string][] = [
      ["console", "/#/"],
      ["tickets", "/#/tickets"],
      ["ticket", `/#/tickets/${w.ticket.id}`],
      ["customers", "/#/customers"],
      ["customer", `/#/customers/${w.customer.id}`],
      ["supervisor", "/#/supervisor"],
    ];
    const found: Record<string, unknown> = {};
    for (const [name, path] of pages) {
      await page.goto(`${bed.server.url}${path}`);
      await page.waitForLoadState("networkidle");
      await page.waitForTimeout(300);
      await snapshot(page, `layout-console-${name}`);
      const { excess, wide } = await overflow(page);
      const axe = await seriousAxeFindings(page);
      const { cut, unlabelled } = await inputProblems(page);
      if (excess > 0 || axe.length > 0 || cut.length > 0 || unlabelled.length > 0) found[name] = { excess, wide, axe, cut, unlabelled };
    }
    expect(found).to.deep.equal({});
  });

  it("fits every admin page in the window, splits no word, with no serious or critical axe finding", async () => {
    const w = await world();
    const page = await loggedIn(w.admin.email);
    const found: Record<string, unknown> = {};
    for (const name of ["customers", "campuses", "persons", "products", "contracts", "sla-policies", "agents", "import", "report", "audit"]) {
      await page.goto(`${bed.server.url}/admin.html#/${name}`);
      await page.waitForSelector(`[data-testid=page-${name}], main.content section`);
      await page.waitForLoadState("networkidle");
      // The widest state of a list page: its editor open beside it.
      if (await page.locator("[data-testid=row]").count()) await page.locator("[data-testid=row]").first().click();
      await page.waitForTimeout(300);
      await snapshot(page, `layout-admin-${name}`);
      const { excess, wide } = await overflow(page);
      const axe = await seriousAxeFindings(page);
      const split = await splitWords(page, "td:not(.changes), th, label, .tag");
      const { cut, unlabelled } = await inputProblems(page);
      if (excess > 0 || axe.length > 0 || split.length > 0 || cut.length > 0 || unlabelled.length > 0) found[name] = { excess, wide, axe, split, cut, unlabelled };
    }
    expect(found).to.deep.equal({});
  });
});
