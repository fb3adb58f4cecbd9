import { expect } from "chai";
import type { Page } from "playwright-core";
import { Agent } from "../../entities/Agent.js";
import { AgentSession } from "../../entities/AgentSession.js";
import { CallbackRequest } from "../../entities/CallbackRequest.js";
import { Call } from "../../entities/Call.js";
import { Ticket } from "../../entities/Ticket.js";
import { TicketEvent } from "../../entities/TicketEvent.js";
import { openSession } from "../../server/auth/sessions.js";
import { ticketCreator } from "../../server/commands/ticket-creator.js";
import { fixtures } from "../support/fixtures.js";
import { browserTestBed, logInThroughForm, snapshot, watchForScriptInjection } from "./browser.js";
import { simulatorFor } from "../ivr/fixtures.js";
import { dropAdapterSubscriber, identifiedCall } from "../routes/console/helpers.js";
import { deskFetch } from "../support/desk-fetch.js";

describe("the agent console in a real browser", function () {
  this.timeout(60_000);
  const bed = browserTestBed();

  async function newPage(): Promise<Page> {
    const context = await bed.newContext({ locale: "nl-BE", timezoneId: "America/New_York" });
    return context.newPage();
  }
  const text = (page: Page, testId: string) => page.locator(`[data-testid=${testId}]`).innerText();

  it("logs in, pops a simulated call, accepts it, edits the ticket, and the supervisor's counters follow", async () => {
    const make = fixtures(bed.server.context.dataSource);
    const world = await make.entitledCaller({ phone: "+32470998877", language: "nl" });
    const els = await make.agent({ name: "Els Janssens", languages: ["nl", "fr"] });
    const jan = await make.agent({ name: "Jan Peeters", languages: ["nl"] });
    const sofie = await make.agent({ name: "Sofie Maes", role: "supervisor", languages: ["nl"] });

    const agentPage = await newPage();
    const injected = watchForScriptInjection(agentPage);
    await logInThroughForm(agentPage, bed.server.url, els.email);
    await agentPage.waitForSelector("[data-testid=me-name]");
    expect(await text(agentPage, "me-name")).to.equal("Els Janssens");
    await agentPage.selectOption("[data-testid=status-select]", "available");
    await agentPage.waitForSelector("text=Je bent beschikbaar");

    const colleague = await newPage();
    await logInThroughForm(colleague, bed.server.url, jan.email);
    await colleague.waitForSelector("[data-testid=status-select]");
    await colleague.selectOption("[data-testid=status-select]", "available");

    const supervisorPage = await newPage();
    await logInThroughForm(supervisorPage, bed.server.url, sofie.email);
    await supervisorPage.click("[data-testid=nav-supervisor]");
    await supervisorPage.waitForSelector("[data-testid=supervisor-view]");
    expect(await text(supervisorPage, "m-answered")).to.equal("0");
    expect(await text(supervisorPage, "m-waiting")).to.equal("0");
    await supervisorPage.waitForSelector("[data-testid=hourly-chart] svg");

    // The caller rings through signed Twilio webhooks (the phone simulator): identified by caller ID, then incident, work stopped.
    const simulator = simulatorFor(bed.server);
    const call = await simulator.start({ from: "0470 99 88 77", to: "+3232000000" });
    const pop = agentPage.locator("[data-testid=screen-pop]");
    await pop.waitFor();
    expect(await pop.locator("[data-testid=pop-caller]").innerText()).to.equal(`${world.person.firstName} ${world.person.lastName}`);
    expect(await pop.locator("[data-testid=pop-customer]").innerText()).to.contain(world.customer.name);
    // In the menu the caller cannot be connected yet: accept is offered only once they are queued.
    expect(await pop.locator("[data-testid=pop-accept]").isDisabled()).to.equal(true);
    expect(await pop.locator("[data-testid=pop-accept-hint]").innerText()).to.equal("Je kunt aannemen zodra de beller in de wachtrij staat.");
    await simulator.press(call, "2");
    await simulator.press(call, "1");
    expect(call.status).to.equal("queue");
    await agentPage.waitForFunction(() => /Incident/.test(document.querySelector("[data-testid=pop-ticket]")?.textContent ?? "") && /\d{4}-\d{6}/.test(document.querySelector("[data-testid=pop-ticket]")?.textContent ?? ""));
    expect(await pop.locator("[data-testid=pop-waiting]").innerText()).to.match(/^Wacht \d+:\d\d$/);
    await pop.locator("[data-testid=pop-accept]:not([disabled])").waitFor();
    expect(await pop.locator("[data-testid=pop-accept-hint]").count()).to.equal(0);
    await supervisorPage.waitForFunction(() => document.querySelector("[data-testid=m-waiting]")?.textContent === "1");
    await colleague.locator("[data-testid=screen-pop]").waitFor();
    await snapshot(agentPage, "1-pop");
    await snapshot(supervisorPage, "2-supervisor-waiting");

    await pop.locator("[data-testid=pop-accept]").click();
    await agentPage.waitForSelector("[data-testid=current-call] [data-testid=ticket-view]");
    const ticketNumber = await text(agentPage, "ticket-number");
    expect(ticketNumber).to.match(/^\d{4}-\d{6}$/);
    expect(await text(agentPage, "ticket-priority")).to.equal("Kritiek");
    // The colleague's pop closes saying who took it; the supervisor sees the answered call.
    await colleague.waitForSelector("[data-testid=pop-closed]:has-text('Els Janssens heeft deze oproep aangenomen.')");
    expect(await colleague.locator("[data-testid=screen-pop]").count()).to.equal(0);
    await supervisorPage.waitForFunction(() => document.querySelector("[data-testid=m-answered]")?.textContent === "1" && document.querySelector("[data-testid=m-waiting]")?.textContent === "0");
    expect(await supervisorPage.locator("[data-testid=supervisor-agents] tr", { hasText: "Els Janssens" }).innerText()).to.contain("In gesprek");
    await snapshot(colleague, "3-colleague-taken");
    await snapshot(supervisorPage, "4-supervisor-answered");

    // Work the ticket: priority, status, description and a note.
    const edit = agentPage.locator("[data-testid=ticket-edit]");
    await edit.locator("select[name=priority]").selectOption("high");
    await edit.locator("select[name=status]").selectOption("in_progress");
    await edit.locator("textarea[name=description]").fill("Zorgdossier start niet meer op");
    await edit.locator("[data-testid=ticket-note]").fill("Herstart gevraagd");
    await edit.locator("[data-testid=ticket-save]").click();
    await agentPage.waitForSelector("[data-testid=ticket-saved]");
    expect(await text(agentPage, "ticket-priority")).to.equal("Hoog");
    expect(await text(agentPage, "ticket-status")).to.equal("In behandeling");
    expect(await agentPage.locator("[data-testid=ticket-history]").innerText()).to.contain("Herstart gevraagd");
    const stored = await bed.server.context.dataSource.getRepository(Ticket).findOneByOrFail({ number: ticketNumber });
    expect(stored).to.include({ priority: "high", status: "in_progress", description: "Zorgdossier start niet meer op", assigneeId: els.id });

    // A colleague adds a note from their own console: the open ticket shows it without a reload (ticket:watch).
    const janSession = `sd_session=${(await openSession(bed.server.context.dataSource, jan.id, 1)).token}`;
    const noted = await deskFetch(`${bed.server.url}/api/tickets/${stored.id}/notes`, { method: "POST", headers: { cookie: janSession, "content-type": "application/json" }, body: JSON.stringify({ text: "Klant belt terug om 14u" }) });
    expect(noted.status).to.equal(201);
    await agentPage.waitForSelector("[data-testid=ticket-history]:has-text('Klant belt terug om 14u')");

    // Billable work without consent: refused with the clear R6 message, nothing stored.
    const billable = agentPage.locator("[data-testid=billable-form]");
    await billable.locator("input[name=minutes]").fill("30");
    await billable.locator("input[name=description]").fill("Herinstallatie");
    await billable.locator("button").click();
    expect(await agentPage.locator("[data-testid=billable-error]").innerText()).to.match(/^Aanrekenbaar werk kan nog niet geregistreerd worden/);
    expect(await bed.server.context.dataSource.getRepository(TicketEvent).countBy({ ticketId: stored.id, type: "billable_entry_created" })).to.equal(0);

    await snapshot(agentPage, "5-ticket");
    expect(injected.errors).to.deep.equal([]);
    expect(injected.dialogs).to.deep.equal([]);
  });

  it("drops a pop whose close it missed while its server had lost Redis, saying who took the call", async () => {
    const make = fixtures(bed.server.context.dataSource);
    const world = await make.entitledCaller({ language: "nl" });
    const els = await make.agent({ name: "Els Janssens", languages: ["nl"] });
    const jan = await make.agent({ name: "Jan Peeters", languages: ["nl"] });
    const page = await newPage();
    await logInThroughForm(page, bed.server.url, els.email);
    await page.waitForSelector("[data-testid=status-select]");
    await page.selectOption("[data-testid=status-select]", "available");
    await page.waitForSelector("text=Je bent beschikbaar");
    const call = await identifiedCall(bed.server.context, { person: world.person, queued: true });
    await page.waitForSelector(`[data-testid=screen-pop][data-call-id="${call.id}"]`);

    // Jan takes the call on another instance while this one's Redis subscriber is reconnecting: the close is lost.
    await bed.server.context.dataSource.getRepository(Call).update({ id: call.id }, { acceptedByAgentId: jan.id, outcome: "answered" });
    await dropAdapterSubscriber(bed.server.context);
    await page.waitForSelector("[data-testid=screen-pop]", { state: "detached", timeout: 10_000 });
    expect(await page.locator("[data-testid=pop-closed]").innerText()).to.contain("Jan Peeters");
  });

  it("shows the callbacks waiting when it opens, only while its agent is available, and drops one taken while its server had lost Redis", async () => {
    const make = fixtures(bed.server.context.dataSource);
    const world = await make.entitledCaller({ language: "nl" });
    const els = await make.agent({ name: "Els Janssens", languages: ["nl"] });
    const jan = await make.agent({ name: "Jan Peeters", languages: ["nl"] });
    await bed.server.context.dataSource.getRepository(Agent).update({ id: els.id }, { status: "available" });
    const ticket = await ticketCreator(bed.server.context, { contactType: "question", customerId: world.customer.id, language: "nl", actor: { type: "caller" } });
    // Stored directly, as if requested before this console opened: no offer was ever pushed to it.
    const callbacks = bed.server.context.dataSource.getRepository(CallbackRequest);
    const callback = await callbacks.save({ ticketId: ticket.id, phoneNumber: "+32470112233", language: "nl", queuedAt: new Date(), status: "offered" });
    const page = await newPage();
    await logInThroughForm(page, bed.server.url, els.email);
    await page.waitForSelector("[data-testid=callbacks] >> text=+32470112233");
    // Offered to available agents only: the list follows Els's own status.
    await page.selectOption("[data-testid=status-select]", "away");
    await page.waitForSelector("[data-testid=callbacks]", { state: "detached" });
    await page.selectOption("[data-testid=status-select]", "available");
    await page.waitForSelector("[data-testid=callbacks] >> text=+32470112233");

    // Jan takes it on another instance while this one's Redis subscriber is reconnecting: the close is lost.
    await callbacks.update({ id: callback.id }, { status: "dialing", agentId: jan.id });
    await dropAdapterSubscriber(bed.server.context);
    await page.waitForSelector("[data-testid=callbacks]", { state: "detached", timeout: 10_000 });
  });

  it("explains a wrong password in the chosen language and stays on the login page", async () => {
    const agent = await fixtures(bed.server.context.dataSource).agent();
    const page = await newPage();
    await page.goto(bed.server.url);
    await page.click("button.link:has-text('Français')");
    await logInThroughForm(page, bed.server.url, agent.email, "not-the-password");
    expect(await page.locator("[data-testid=login-error]").innerText()).to.equal("Adresse e-mail ou mot de passe incorrect.");
    expect(await page.locator("[data-testid=me-name]").count()).to.equal(0);
  });

  it("sends an agent whose session expired back to the login page, saying why", async () => {
    const agent = await fixtures(bed.server.context.dataSource).agent();
    const page = await newPage();
    await logInThroughForm(page, bed.server.url, agent.email);
    await page.waitForSelector("[data-testid=me-name]");
    await bed.server.context.dataSource.getRepository(AgentSession).update({ agentId: agent.id }, { expiresAt: new Date(Date.now() - 1000) });
    // The console may already have noticed (the socket's periodic session re-check) and left the page: then no click is needed.
    await page.click("[data-testid=nav-tickets]", { timeout: 5000 }).catch(() => undefined);
    expect(await page.locator("[data-testid=session-expired]").innerText()).to.equal("Je sessie is verlopen: meld je opnieuw aan.");
    expect(await page.locator("[data-testid=login-form]").count()).to.equal(1);
  });

  it("shows hostile ticket text as text and runs none of it", async () => {
    const make = fixtures(bed.server.context.dataSource);
    const world = await make.entitledCaller();
    const agent = await make.agent({ name: "Els" });
    const hostile = "<img src=x onerror=alert(1)>";
    const ticket = await ticketCreator(bed.server.context, {
      contactType: "question",
      customerId: world.customer.id,
      reporterId: world.person.id,
      language: "nl",
      subject: `<script>alert("subject")</script>`,
      description: hostile,
      actor: { type: "caller", id: world.person.id },
    });
    const page = await newPage();
    const injected = watchForScriptInjection(page);
    await logInThroughForm(page, bed.server.url, agent.email);
    await page.waitForSelector("[data-testid=me-name]");
    await page.goto(`${bed.server.url}/#/tickets/${ticket.id}`);
    await page.waitForSelector("[data-testid=ticket-description]");
    expect(await text(page, "ticket-description")).to.equal(hostile);
    expect(await page.locator("[data-testid=ticket-view] img").count()).to.equal(0);
    expect(await page.locator("[data-testid=ticket-view] script").count()).to.equal(0);

    // A note with markup, through the form, lands in the history as text as well.
    await page.locator("[data-testid=ticket-note]").fill(hostile);
    await page.locator("[data-testid=ticket-save]").click();
    await page.waitForSelector("[data-testid=ticket-saved]");
    expect(await page.locator("[data-testid=ticket-history]").innerText()).to.contain(hostile);
    await page.goto(`${bed.server.url}/#/tickets`);
    await page.fill("[data-testid=ticket-search-q]", ticket.number);
    await page.press("[data-testid=ticket-search-q]", "Enter");
    await page.waitForSelector(`[data-testid=ticket-results] >> text=${ticket.number}`);
    expect(await page.locator("[data-testid=ticket-results]").innerText()).to.contain(`<script>alert("subject")</script>`);
    await page.waitForTimeout(200);
    expect(injected.dialogs).to.deep.equal([]);
    expect(await page.locator("img[src=x]").count()).to.equal(0);
  });
});
