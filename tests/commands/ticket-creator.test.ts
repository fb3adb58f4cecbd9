import { expect } from "chai";
import type { DataSource } from "typeorm";
import { OutboxMessage, Ticket, TicketEvent } from "../../entities/index.js";
import { createTicketInTransaction, ticketCreator } from "../../server/commands/ticket-creator.js";
import { inTransaction } from "../../server/commands/transaction.js";
import { BusinessCalendar } from "../../server/domain/business-hours.js";
import { OutboxPublisher } from "../../server/events/publisher.js";
import { createLogger } from "../../server/logger.js";
import { resetDatabase, testDataSource } from "../support/database.js";
import { fixtures } from "../support/fixtures.js";

describe("ticketCreator", () => {
  let dataSource: DataSource;
  let make: ReturnType<typeof fixtures>;
  let context: { dataSource: DataSource; publisher: OutboxPublisher; calendar: BusinessCalendar };
  beforeEach(async () => {
    dataSource = await testDataSource();
    await resetDatabase(dataSource);
    make = fixtures(dataSource);
    context = {
      dataSource,
      publisher: new OutboxPublisher(dataSource, createLogger("silent")),
      calendar: new BusinessCalendar({ timeZone: "Europe/Brussels", opensAt: "08:30", closesAt: "17:00", days: [1, 2, 3, 4, 5], holidayCountry: "BE" }),
    };
  });

  it("opens an entitled ticket with a number, SLA due times, an event and an outbox message", async () => {
    const { customer, campus, product, person } = await make.entitledCaller();
    const ticket = await ticketCreator(context, {
      contactType: "incident",
      priority: "critical",
      customerId: customer.id,
      campusId: campus.id,
      reporterId: person.id,
      productId: product.id,
      language: "nl",
      actor: { type: "caller", id: person.id },
      openedAt: new Date("2026-11-25T09:00:00Z"),
    });
    expect(ticket.number).to.equal("2026-000001");
    expect(ticket.entitled).to.equal(true);
    expect(ticket.entitlementReason).to.equal(null);
    expect(ticket.firstResponseDueAt!.toISOString()).to.equal("2026-11-25T09:30:00.000Z");
    const events = await dataSource.getRepository(TicketEvent).findBy({ ticketId: ticket.id });
    expect(events.map((e) => e.type)).to.deep.equal(["created"]);
    const outbox = await dataSource.getRepository(OutboxMessage).find();
    expect(outbox.map((m) => m.topic)).to.deep.equal(["ticket.event"]);
  });

  it("records a not-entitled ticket with the reason and no SLA clock", async () => {
    const customer = await make.customer();
    const product = await make.product();
    await make.contract(customer, [product], await make.slaPolicy(), { paid: false });
    const ticket = await ticketCreator(context, { contactType: "question", customerId: customer.id, productId: product.id, language: "fr", actor: { type: "system" } });
    expect(ticket.entitled).to.equal(false);
    expect(ticket.entitlementReason).to.equal("unpaid");
    expect(ticket.resolutionDueAt).to.equal(null);
  });

  it("records an unknown caller's contact as a ticket without customer", async () => {
    const ticket = await ticketCreator(context, { contactType: "question", customerId: null, language: "de", actor: { type: "caller" } });
    expect(ticket.entitlementReason).to.equal("unknown_caller");
  });

  it("gives 40 tickets created at the same time 40 different consecutive numbers", async () => {
    const { customer } = await make.entitledCaller();
    const tickets = await Promise.all(
      Array.from({ length: 40 }, () => ticketCreator(context, { contactType: "question", customerId: customer.id, language: "nl", actor: { type: "system" }, openedAt: new Date("2026-11-25T09:00:00Z") })),
    );
    const numbers = tickets.map((t) => t.number).sort();
    expect(new Set(numbers).size).to.equal(40);
    expect(numbers[0]).to.equal("2026-000001");
    expect(numbers[39]).to.equal("2026-000040");
    expect(await dataSource.getRepository(Ticket).count()).to.equal(40);
  });

  it("never hands out a number twice when a transaction that took one rolls back", async () => {
    const { customer } = await make.entitledCaller();
    const props = { contactType: "question" as const, customerId: customer.id, language: "nl" as const, actor: { type: "system" as const }, openedAt: new Date("2026-11-25T09:00:00Z") };
    const first = await ticketCreator(context, props);
    const failed = await inTransaction(context, async (tx) => {
      await createTicketInTransaction(tx, context.calendar, props);
      throw new Error("the rest of the webhook failed");
    }).then(() => null, (error: Error) => error);
    expect(failed?.message).to.equal("the rest of the webhook failed");
    const next = await ticketCreator(context, props);
    expect(next.number > first.number).to.equal(true);
    // MariaDB takes numbers outside the transaction (no lock held until commit), so the rolled-back one is a gap.
    expect(next.number).to.equal(dataSource.options.type === "mysql" ? "2026-000003" : "2026-000002");
    expect(await dataSource.getRepository(Ticket).count()).to.equal(2);
  });

  it("starts a new sequence in a new year (Brussels calendar)", async () => {
    const { customer } = await make.entitledCaller();
    const late = await ticketCreator(context, { contactType: "question", customerId: customer.id, language: "nl", actor: { type: "system" }, openedAt: new Date("2026-12-31T22:30:00Z") });
    expect(late.number).to.equal("2026-000001"); // 23:30 in Brussels: still 2026
    const early = await ticketCreator(context, { contactType: "question", customerId: customer.id, language: "nl", actor: { type: "system" }, openedAt: new Date("2026-12-31T23:30:00Z") });
    expect(early.number).to.equal("2027-000001"); // 00:30 on New Year's Day in Brussels
  });
});
