import { expect } from "chai";
import type { DataSource } from "typeorm";
import { Ticket } from "../../entities/Ticket.js";
import { TicketEvent } from "../../entities/TicketEvent.js";
import { scopeRecorder } from "../../server/commands/scope-recorder.js";
import { resetDatabase, testDataSource } from "../support/database.js";
import { commandContext, eventTypes, makeAgent, makeCustomer, makeTicket, outboxTopics, rejectionOf } from "./fixtures.js";

describe("scopeRecorder (R5)", () => {
  let dataSource: DataSource;
  before(async () => {
    dataSource = await testDataSource();
  });
  beforeEach(async () => {
    await resetDatabase(dataSource);
  });

  it("records an in-scope verdict without a cost notice", async () => {
    const { customer } = await makeCustomer(dataSource);
    const agent = await makeAgent(dataSource);
    const ticket = await makeTicket(dataSource, { customerId: customer.id });
    await scopeRecorder(commandContext(dataSource), { ticketId: ticket.id, agentId: agent.id, verdict: { verdict: "in_scope" } });
    expect((await dataSource.getRepository(Ticket).findOneByOrFail({ id: ticket.id })).scope).to.equal("in_scope");
    expect(await eventTypes(dataSource, ticket.id)).to.deep.equal(["scope_recorded"]);
  });

  it("records a hardware verdict, says the customer must be told it may cost extra, and notifies the supplier", async () => {
    const { customer } = await makeCustomer(dataSource, { supplierName: "Antwerp ICT Services bv" });
    const agent = await makeAgent(dataSource);
    const ticket = await makeTicket(dataSource, { customerId: customer.id });
    const now = new Date("2026-03-02T09:15:00Z");
    await scopeRecorder(commandContext(dataSource), {
      ticketId: ticket.id,
      agentId: agent.id,
      verdict: { verdict: "out_of_scope", category: "hardware", diagnosis: "RAID controller reports a failed disk", advice: "Replace disk 2", notifySupplier: true },
      now,
    });
    const stored = await dataSource.getRepository(Ticket).findOneByOrFail({ id: ticket.id });
    expect(stored).to.include({ scope: "out_of_scope", scopeCategory: "hardware", scopeDiagnosis: "RAID controller reports a failed disk", scopeAdvice: "Replace disk 2" });
    expect(stored.supplierNotifiedAt?.toISOString()).to.equal(now.toISOString());
    expect(await eventTypes(dataSource, ticket.id)).to.deep.equal(["scope_recorded", "extra_cost_notice_required", "supplier_notified"]);
    const notified = await dataSource.getRepository(TicketEvent).findOneByOrFail({ ticketId: ticket.id, type: "supplier_notified" });
    expect(notified).to.include({ actorType: "agent", actorId: agent.id });
    expect(notified.data).to.include({ supplierName: "Antwerp ICT Services bv" });
    expect(await outboxTopics(dataSource)).to.deep.equal(["ticket.event", "ticket.event", "ticket.event"]);
  });

  it("records an out-of-scope training verdict with the extra-cost notice but no supplier", async () => {
    const { customer } = await makeCustomer(dataSource);
    const agent = await makeAgent(dataSource);
    const ticket = await makeTicket(dataSource, { customerId: customer.id });
    await scopeRecorder(commandContext(dataSource), { ticketId: ticket.id, agentId: agent.id, verdict: { verdict: "out_of_scope", category: "training" } });
    expect(await eventTypes(dataSource, ticket.id)).to.deep.equal(["scope_recorded", "extra_cost_notice_required"]);
    expect((await dataSource.getRepository(Ticket).findOneByOrFail({ id: ticket.id })).supplierNotifiedAt).to.equal(null);
  });

  it("refuses a hardware verdict without diagnosis and changes nothing", async () => {
    const { customer } = await makeCustomer(dataSource);
    const agent = await makeAgent(dataSource);
    const ticket = await makeTicket(dataSource, { customerId: customer.id });
    const error = await rejectionOf(
      scopeRecorder(commandContext(dataSource), { ticketId: ticket.id, agentId: agent.id, verdict: { verdict: "out_of_scope", category: "hardware", advice: "Reboot" } }),
    );
    expect(error).to.include({ status: 400, id: "scope_diagnosis_required" });
    expect((await dataSource.getRepository(Ticket).findOneByOrFail({ id: ticket.id })).scope).to.equal("undetermined");
    expect(await eventTypes(dataSource, ticket.id)).to.deep.equal([]);
  });

  it("refuses a supplier notification when the customer has no supplier", async () => {
    const { customer } = await makeCustomer(dataSource, { supplierName: null });
    const agent = await makeAgent(dataSource);
    const ticket = await makeTicket(dataSource, { customerId: customer.id });
    const error = await rejectionOf(
      scopeRecorder(commandContext(dataSource), {
        ticketId: ticket.id,
        agentId: agent.id,
        verdict: { verdict: "out_of_scope", category: "network", diagnosis: "Switch down", advice: "Power-cycle the switch", notifySupplier: true },
      }),
    );
    expect(error).to.include({ status: 400, id: "no_supplier" });
    expect(await eventTypes(dataSource, ticket.id)).to.deep.equal([]);
  });

  it("answers 404 for a ticket that does not exist", async () => {
    const agent = await makeAgent(dataSource);
    const error = await rejectionOf(scopeRecorder(commandContext(dataSource), { ticketId: 999_999, agentId: agent.id, verdict: { verdict: "in_scope" } }));
    expect(error).to.include({ status: 404 });
  });
});
