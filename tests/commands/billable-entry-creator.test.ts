import { expect } from "chai";
import type { DataSource } from "typeorm";
import { BillableEntry } from "../../entities/BillableEntry.js";
import { CostConsent } from "../../entities/CostConsent.js";
import { OutboxMessage } from "../../entities/OutboxMessage.js";
import { TicketEvent } from "../../entities/TicketEvent.js";
import { billableEntryCreator } from "../../server/commands/billable-entry-creator.js";
import { costConsentRecorder } from "../../server/commands/cost-consent-recorder.js";
import { costConsentRequester } from "../../server/commands/cost-consent-requester.js";
import { ConsentRequiredError } from "../../server/errors/consent-required-error.js";
import { resetDatabase, testDataSource } from "../support/database.js";
import { commandContext, eventTypes, makeAgent, makeCustomer, makePerson, makeTicket, rejectionOf } from "./fixtures.js";

describe("billableEntryCreator (R6)", () => {
  let dataSource: DataSource;
  before(async () => {
    dataSource = await testDataSource();
  });
  beforeEach(async () => {
    await resetDatabase(dataSource);
  });

  async function setUp() {
    const { customer } = await makeCustomer(dataSource);
    const person = await makePerson(dataSource, customer.id, { role: "technical" });
    const agent = await makeAgent(dataSource);
    const ticket = await makeTicket(dataSource, { customerId: customer.id });
    return { person, agent, ticket, context: commandContext(dataSource) };
  }

  const work = { minutes: 90, description: "Restored the backup of the care records", amountCents: 14_250 };

  it("refuses billable work without a consent, with a clear message, and writes nothing", async () => {
    const { agent, ticket, context } = await setUp();
    const error = await rejectionOf(billableEntryCreator(context, { ticketId: ticket.id, agentId: agent.id, ...work }));
    expect(error).to.be.instanceOf(ConsentRequiredError);
    expect(error).to.include({ status: 409, id: "consent_required" });
    expect(error.message).to.match(/consent/i).and.to.match(/reference person/i);
    expect(await dataSource.getRepository(BillableEntry).count()).to.equal(0);
    expect(await dataSource.getRepository(TicketEvent).count()).to.equal(0);
    expect(await dataSource.getRepository(OutboxMessage).count()).to.equal(0);
  });

  it("refuses billable work while the consent is still pending", async () => {
    const { agent, ticket, context } = await setUp();
    await costConsentRequester(context, { ticketId: ticket.id, agentId: agent.id, estimateText: "€150", estimateAmountCents: 15_000 });
    const error = await rejectionOf(billableEntryCreator(context, { ticketId: ticket.id, agentId: agent.id, ...work }));
    expect(error).to.be.instanceOf(ConsentRequiredError);
    expect(await dataSource.getRepository(BillableEntry).count()).to.equal(0);
  });

  it("refuses billable work after the customer refused", async () => {
    const { person, agent, ticket, context } = await setUp();
    const consent = await costConsentRequester(context, { ticketId: ticket.id, agentId: agent.id, estimateText: "€150", estimateAmountCents: 15_000 });
    await costConsentRecorder(context, { consentId: consent.id, decision: "refused", personId: person.id, method: "phone", agentId: agent.id });
    const error = await rejectionOf(billableEntryCreator(context, { ticketId: ticket.id, agentId: agent.id, ...work }));
    expect(error).to.be.instanceOf(ConsentRequiredError);
  });

  it("refuses to use a consent given on another ticket", async () => {
    const { person, agent, ticket, context } = await setUp();
    const otherTicket = await makeTicket(dataSource, { customerId: person.customerId });
    const consent = await costConsentRequester(context, { ticketId: otherTicket.id, agentId: agent.id, estimateText: "€150", estimateAmountCents: 15_000 });
    await costConsentRecorder(context, { consentId: consent.id, decision: "given", personId: person.id, method: "phone", agentId: agent.id });
    const error = await rejectionOf(billableEntryCreator(context, { ticketId: ticket.id, agentId: agent.id, consentId: consent.id, ...work }));
    expect(error).to.be.instanceOf(ConsentRequiredError);
    expect(await dataSource.getRepository(BillableEntry).count()).to.equal(0);
  });

  it("logs billable work under a given consent, with an event", async () => {
    const { person, agent, ticket, context } = await setUp();
    const consent = await costConsentRequester(context, { ticketId: ticket.id, agentId: agent.id, estimateText: "€150", estimateAmountCents: 15_000 });
    await costConsentRecorder(context, { consentId: consent.id, decision: "given", personId: person.id, method: "written", agentId: agent.id });
    const entry = await billableEntryCreator(context, { ticketId: ticket.id, agentId: agent.id, ...work });
    expect(entry).to.include({ ticketId: ticket.id, consentId: consent.id, agentId: agent.id, minutes: 90, amountCents: 14_250 });
    expect(await dataSource.getRepository(BillableEntry).count()).to.equal(1);
    expect(await eventTypes(dataSource, ticket.id)).to.include("billable_entry_created");
  });

  it("refuses billable work under a consent that names no amount (one recorded before amounts were required)", async () => {
    const { person, agent, ticket, context } = await setUp();
    const consent = await dataSource.getRepository(CostConsent).save({
      ticketId: ticket.id, status: "given", estimateText: "een uurtje", estimateAmountCents: null, decidedByPersonId: person.id, method: "phone", decidedAt: new Date(),
    });
    const error = await rejectionOf(billableEntryCreator(context, { ticketId: ticket.id, agentId: agent.id, ...work }));
    expect(error).to.include({ status: 409, id: "consent_without_amount" });
    expect(error.details).to.deep.equal({ consentId: consent.id });
    expect(await dataSource.getRepository(BillableEntry).count()).to.equal(0);
  });

  it("refuses an amount beyond the estimate the customer agreed to", async () => {
    const { person, agent, ticket, context } = await setUp();
    const consent = await costConsentRequester(context, { ticketId: ticket.id, agentId: agent.id, estimateText: "€150", estimateAmountCents: 15_000 });
    await costConsentRecorder(context, { consentId: consent.id, decision: "given", personId: person.id, method: "phone", agentId: agent.id });
    await billableEntryCreator(context, { ticketId: ticket.id, agentId: agent.id, ...work });
    const error = await rejectionOf(billableEntryCreator(context, { ticketId: ticket.id, agentId: agent.id, minutes: 15, description: "Extra check", amountCents: 1_000 }));
    expect(error).to.include({ status: 409, id: "estimate_exceeded" });
    expect(await dataSource.getRepository(BillableEntry).count()).to.equal(1);
  });

  it("refuses an entry without minutes or description", async () => {
    const { agent, ticket, context } = await setUp();
    const error = await rejectionOf(billableEntryCreator(context, { ticketId: ticket.id, agentId: agent.id, minutes: 0, description: "" }));
    expect(error).to.include({ status: 400 });
  });
});
