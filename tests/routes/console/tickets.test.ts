import { expect } from "chai";
import { BillableEntry } from "../../../entities/BillableEntry.js";
import { CostConsent } from "../../../entities/CostConsent.js";
import { Ticket } from "../../../entities/Ticket.js";
import { TicketEvent } from "../../../entities/TicketEvent.js";
import { ticketCreator } from "../../../server/commands/ticket-creator.js";
import { startTestServer, type TestServer } from "../../support/app.js";
import { resetDatabase } from "../../support/database.js";
import { fixtures } from "../../support/fixtures.js";
import { api, login } from "./helpers.js";

describe("console API: tickets, scope, consent, on-site, look-up", () => {
  let server: TestServer;
  let cookie: string;
  let world: Awaited<ReturnType<ReturnType<typeof fixtures>["entitledCaller"]>>;
  let ticket: Ticket;

  beforeEach(async () => {
    server = await startTestServer();
    await resetDatabase(server.context.dataSource);
    const make = fixtures(server.context.dataSource);
    world = await make.entitledCaller({ phone: "+32470112233" });
    const agent = await make.agent({ name: "Els" });
    cookie = await login(server.url, agent.email);
    ticket = await ticketCreator(server.context, {
      contactType: "question",
      customerId: world.customer.id,
      campusId: world.campus.id,
      reporterId: world.person.id,
      productId: world.product.id,
      language: "nl",
      subject: "Printer in the nurses' office",
      actor: { type: "caller", id: world.person.id },
    });
  });
  afterEach(async () => {
    await server.close();
  });

  const events = async () => (await server.context.dataSource.getRepository(TicketEvent).find({ where: { ticketId: ticket.id }, order: { id: "ASC" } })).map((e) => e.type);

  it("finds tickets by number, by customer name and by type", async () => {
    const byNumber = await api(server.url, cookie, "GET", `/api/tickets?q=${encodeURIComponent(ticket.number)}`);
    expect(byNumber.status).to.equal(200);
    expect(byNumber.body.items.map((t: { id: number }) => t.id)).to.deep.equal([ticket.id]);
    expect(byNumber.body.items[0]).to.include({ number: ticket.number, contactType: "question", status: "new" });
    expect(byNumber.body.items[0].customer.name).to.equal(world.customer.name);
    const byCustomer = await api(server.url, cookie, "GET", `/api/tickets?q=zonnebloem&type=question&status=active`);
    expect(byCustomer.body.total).to.equal(1);
    expect((await api(server.url, cookie, "GET", `/api/tickets?type=incident`)).body.total).to.equal(0);
    expect((await api(server.url, cookie, "GET", `/api/tickets?q=${encodeURIComponent("%")}`)).body.total).to.equal(0);
    expect((await api(server.url, cookie, "GET", `/api/tickets?status=bogus`)).status).to.equal(400);
  });

  it("shows a ticket with its events, covered products and the customer's reference persons", async () => {
    const detail = await api(server.url, cookie, "GET", `/api/tickets/${ticket.id}`);
    expect(detail.status).to.equal(200);
    expect(detail.body.ticket.events.map((e: { type: string }) => e.type)).to.deep.equal(["created"]);
    expect(detail.body.ticket.events[0].actor).to.deep.equal({ type: "caller", id: world.person.id, name: `${world.person.firstName} ${world.person.lastName}` });
    expect(detail.body.ticket.coveredProducts.map((p: { id: number }) => p.id)).to.deep.equal([world.product.id]);
    expect(detail.body.ticket.customerPersons.map((p: { id: number }) => p.id)).to.deep.equal([world.person.id]);
    expect(detail.body.ticket.allowedStatuses).to.include("in_progress");
    expect((await api(server.url, cookie, "GET", `/api/tickets/999999`)).status).to.equal(404);
    expect((await api(server.url, cookie, "GET", `/api/tickets/abc`)).status).to.equal(400);
  });

  it("changes type, priority, status and description, records each as an event, and adds notes", async () => {
    const response = await api(server.url, cookie, "PATCH", `/api/tickets/${ticket.id}`, {
      contactType: "incident",
      priority: "high",
      status: "in_progress",
      description: "Nothing prints since this morning",
      note: "Asked to restart the spooler",
    });
    expect(response.status).to.equal(200);
    expect(response.body.ticket).to.include({ contactType: "incident", priority: "high", status: "in_progress", description: "Nothing prints since this morning" });
    expect(response.body.ticket.firstRespondedAt).to.be.a("string");
    expect(await events()).to.deep.equal(["created", "status_changed", "updated", "note_added"]);
    const updated = response.body.ticket.events.find((e: { type: string }) => e.type === "updated");
    expect(updated.data.changes.priority).to.deep.equal({ from: "normal", to: "high" });
    // The SLA moved with the priority (MariaDB keeps due times to the second).
    expect(Math.abs(Date.parse(updated.data.changes.resolutionDueAt.to) - Date.parse(response.body.ticket.resolutionDueAt))).to.be.below(1000);
    expect(Date.parse(updated.data.changes.resolutionDueAt.to)).to.be.below(Date.parse(updated.data.changes.resolutionDueAt.from));
    const noted = await api(server.url, cookie, "POST", `/api/tickets/${ticket.id}/notes`, { text: "Customer confirms it works" });
    expect(noted.status).to.equal(201);
    expect(noted.body.ticket.events.at(-1).data).to.deep.equal({ text: "Customer confirms it works" });
  });

  it("refuses a status the lifecycle does not allow, and changes nothing", async () => {
    await api(server.url, cookie, "PATCH", `/api/tickets/${ticket.id}`, { status: "closed" });
    const before = await events();
    const response = await api(server.url, cookie, "PATCH", `/api/tickets/${ticket.id}`, { status: "resolved", priority: "low" });
    expect(response.status).to.equal(409);
    expect(response.body.error).to.include({ id: "invalid_status_transition", message: "A closed ticket cannot become resolved; it can become: open." });
    const stored = await server.context.dataSource.getRepository(Ticket).findOneByOrFail({ id: ticket.id });
    expect(stored).to.include({ status: "closed", priority: "normal" });
    expect(await events()).to.deep.equal(before);
  });

  it("refuses unknown fields and an unknown contact type", async () => {
    expect((await api(server.url, cookie, "PATCH", `/api/tickets/${ticket.id}`, { number: "2020-000001" })).status).to.equal(400);
    const wrongType = await api(server.url, cookie, "PATCH", `/api/tickets/${ticket.id}`, { contactType: "praise" });
    expect(wrongType.status).to.equal(400);
    expect(wrongType.body.error.field).to.equal("contactType");
  });

  it("records a scope verdict, requiring diagnosis and advice for hardware", async () => {
    const missing = await api(server.url, cookie, "PUT", `/api/tickets/${ticket.id}/scope`, { verdict: "out_of_scope", category: "hardware" });
    expect(missing.status).to.equal(400);
    expect(missing.body.error.id).to.equal("scope_diagnosis_required");
    const recorded = await api(server.url, cookie, "PUT", `/api/tickets/${ticket.id}/scope`, { verdict: "out_of_scope", category: "hardware", diagnosis: "Fuser broken", advice: "Call the printer vendor" });
    expect(recorded.status).to.equal(200);
    expect(recorded.body.ticket).to.include({ scope: "out_of_scope", scopeCategory: "hardware", scopeDiagnosis: "Fuser broken", scopeAdvice: "Call the printer vendor" });
  });

  it("refuses billable work without a consent with the clear R6 message, and accepts it after consent", async () => {
    const refused = await api(server.url, cookie, "POST", `/api/tickets/${ticket.id}/billable-entries`, { minutes: 30, description: "Reinstall driver", amountCents: 4750 });
    expect(refused.status).to.equal(409);
    expect(refused.body.error.id).to.equal("consent_required");
    expect(refused.body.error.message).to.match(/^Billable work cannot be logged yet/);
    expect(await server.context.dataSource.getRepository(BillableEntry).count()).to.equal(0);

    const asked = await api(server.url, cookie, "POST", `/api/tickets/${ticket.id}/cost-consents`, { estimateText: "30 minutes at €95/h", estimateAmountCents: 4750 });
    expect(asked.status).to.equal(201);
    expect(asked.body.ticket.sla).to.equal("paused");
    const decided = await api(server.url, cookie, "POST", `/api/cost-consents/${asked.body.consentId}/decision`, { decision: "given", personId: world.person.id, method: "phone" });
    expect(decided.status).to.equal(200);
    expect(decided.body.ticket.costConsents[0]).to.include({ status: "given", method: "phone" });
    expect(decided.body.ticket.costConsents[0].decidedBy.id).to.equal(world.person.id);
    const logged = await api(server.url, cookie, "POST", `/api/tickets/${ticket.id}/billable-entries`, { minutes: 30, description: "Reinstall driver", amountCents: 4750 });
    expect(logged.status).to.equal(201);
    expect(logged.body.ticket.billableEntries).to.have.length(1);
  });

  it("refuses a cost consent without an amount, or with text for one, naming the field; nothing is stored", async () => {
    for (const estimateAmountCents of [undefined, null, "abc", "95", 0]) {
      const refused = await api(server.url, cookie, "POST", `/api/tickets/${ticket.id}/cost-consents`, { estimateText: "2 hours at €95/h", estimateAmountCents });
      expect(refused.status, String(estimateAmountCents)).to.equal(400);
      expect(refused.body.error).to.include({ id: "validation_failed", field: "estimateAmountCents" });
    }
    expect(await server.context.dataSource.getRepository(CostConsent).count()).to.equal(0);
  });

  it("lets an agent ask for an on-site intervention and only a supervisor decide it", async () => {
    const asked = await api(server.url, cookie, "POST", `/api/tickets/${ticket.id}/on-site-requests`, { reason: "Network cabinet flooded" });
    expect(asked.status).to.equal(201);
    const requestId = asked.body.ticket.onSiteRequests[0].id;
    expect((await api(server.url, cookie, "POST", `/api/on-site-requests/${requestId}/decision`, { decision: "approved", reason: "ok" })).status).to.equal(403);
    const supervisor = await fixtures(server.context.dataSource).agent({ role: "supervisor", name: "Sofie" });
    const supervisorCookie = await login(server.url, supervisor.email);
    const pending = await api(server.url, supervisorCookie, "GET", "/api/on-site-requests");
    expect(pending.body.items.map((r: { id: number }) => r.id)).to.deep.equal([requestId]);
    expect(pending.body.items[0].ticketNumber).to.equal(ticket.number);
    const noReason = await api(server.url, supervisorCookie, "POST", `/api/on-site-requests/${requestId}/decision`, { decision: "approved", reason: " " });
    expect(noReason.status).to.equal(400);
    const decided = await api(server.url, supervisorCookie, "POST", `/api/on-site-requests/${requestId}/decision`, { decision: "refused", reason: "Remote session first" });
    expect(decided.status).to.equal(200);
    expect(decided.body.ticket.onSiteRequests[0]).to.include({ status: "refused", decisionReason: "Remote session first" });
    expect(decided.body.ticket.onSiteRequests[0].decidedBy.name).to.equal("Sofie");
  });

  it("looks customers up by name and by a phone number in Belgian national format", async () => {
    const byName = await api(server.url, cookie, "GET", "/api/customers?q=zonneb");
    expect(byName.status).to.equal(200);
    expect(byName.body.items.map((c: { id: number }) => c.id)).to.deep.equal([world.customer.id]);
    const byPhone = await api(server.url, cookie, "GET", `/api/customers?q=${encodeURIComponent("0470 11 22 33")}`);
    expect(byPhone.body.items[0].matchedPersons.map((p: { id: number }) => p.id)).to.deep.equal([world.person.id]);
    const detail = await api(server.url, cookie, "GET", `/api/customers/${world.customer.id}`);
    expect(detail.body.customer.contracts[0]).to.include({ status: "active", reference: world.contract.reference });
    expect(detail.body.customer.coveredProducts.map((p: { id: number }) => p.id)).to.deep.equal([world.product.id]);
    expect(detail.body.customer.referencePersons[0]).to.include({ id: world.person.id, role: "campus" });
    expect(detail.body.customer.openTickets.map((t: { id: number }) => t.id)).to.deep.equal([ticket.id]);
    expect((await api(server.url, cookie, "GET", "/api/customers?q=a")).status).to.equal(400);
  });

  it("lists recent customers before any search, latest ticket first, then the others by name, a page at a time", async () => {
    const make = fixtures(server.context.dataSource);
    const quiet = await make.customer({ name: "Aaa Zonder Tickets" });
    const busy = await make.customer({ name: "Zzz Vandaag Gebeld" });
    // A later ticket for busy: it comes before the world's customer, whose ticket is older.
    await server.context.dataSource.getRepository(Ticket).update({ id: ticket.id }, { createdAt: new Date(Date.now() - 3_600_000) });
    await ticketCreator(server.context, { contactType: "question", customerId: busy.id, language: "nl", actor: { type: "caller" } });
    const first = await api(server.url, cookie, "GET", "/api/customers?pageSize=2");
    expect(first.status).to.equal(200);
    expect(first.body).to.include({ page: 1, pageSize: 2, total: 3 });
    expect(first.body.items.map((c: { id: number }) => c.id)).to.deep.equal([busy.id, world.customer.id]);
    expect(Date.parse(first.body.items[0].lastTicketAt)).to.be.closeTo(Date.now(), 60_000);
    const second = await api(server.url, cookie, "GET", "/api/customers?pageSize=2&page=2");
    expect(second.body.items.map((c: { id: number; lastTicketAt: string | null }) => [c.id, c.lastTicketAt])).to.deep.equal([[quiet.id, null]]);
    expect((await api(server.url, cookie, "GET", "/api/customers?page=0")).body.error.field).to.equal("page");
    expect((await api(server.url, cookie, "GET", "/api/customers?pageSize=abc")).body.error.field).to.equal("pageSize");
  });
});
