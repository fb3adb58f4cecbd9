import { expect } from "chai";
import type { DataSource } from "typeorm";
import { CostConsent } from "../../entities/CostConsent.js";
import { Ticket } from "../../entities/Ticket.js";
import { TicketEvent } from "../../entities/TicketEvent.js";
import { costConsentRecorder } from "../../server/commands/cost-consent-recorder.js";
import { costConsentRequester } from "../../server/commands/cost-consent-requester.js";
import { IneligibleConsenterError } from "../../server/errors/ineligible-consenter-error.js";
import { resetDatabase, testDataSource } from "../support/database.js";
import { commandContext, eventTypes, makeAgent, makeCustomer, makePerson, makePolicy, makeTicket, rejectionOf } from "./fixtures.js";

// March 2026 is winter time in Brussels (UTC+1) until the 29th; 2026-03-02 is a Monday.
const at = (iso: string) => new Date(iso);

describe("cost consent (R6)", () => {
  let dataSource: DataSource;
  before(async () => {
    dataSource = await testDataSource();
  });
  beforeEach(async () => {
    await resetDatabase(dataSource);
  });

  async function setUp(options: { twentyFourSeven?: boolean; firstResponseDueAt?: Date; resolutionDueAt?: Date } = {}) {
    const { customer } = await makeCustomer(dataSource);
    const person = await makePerson(dataSource, customer.id, { role: "general" });
    const agent = await makeAgent(dataSource);
    const policy = await makePolicy(dataSource, options.twentyFourSeven ?? false);
    const ticket = await makeTicket(dataSource, {
      customerId: customer.id,
      slaPolicyId: policy.id,
      firstResponseDueAt: options.firstResponseDueAt ?? at("2026-03-02T09:30:00Z"),
      resolutionDueAt: options.resolutionDueAt ?? at("2026-03-04T11:00:00Z"),
    });
    return { customer, person, agent, ticket, context: commandContext(dataSource) };
  }

  const reload = (id: number) => dataSource.getRepository(Ticket).findOneByOrFail({ id });

  describe("costConsentRequester", () => {
    it("opens a pending consent with the estimate and pauses the SLA", async () => {
      const { agent, ticket, context } = await setUp();
      const consent = await costConsentRequester(context, {
        ticketId: ticket.id, agentId: agent.id, estimateText: "2 uur à €95 excl. btw", estimateAmountCents: 19_000, now: at("2026-03-02T08:00:00Z"),
      });
      expect(consent).to.include({ status: "pending", estimateText: "2 uur à €95 excl. btw", estimateAmountCents: 19_000, requestedByAgentId: agent.id });
      expect((await reload(ticket.id)).slaPausedAt?.toISOString()).to.equal("2026-03-02T08:00:00.000Z");
      expect(await eventTypes(dataSource, ticket.id)).to.deep.equal(["consent_requested", "sla_paused"]);
    });

    it("keeps the first pause moment when a second consent is asked", async () => {
      const { agent, ticket, context } = await setUp();
      await costConsentRequester(context, { ticketId: ticket.id, agentId: agent.id, estimateText: "1 uur", estimateAmountCents: 15_000, now: at("2026-03-02T08:00:00Z") });
      await costConsentRequester(context, { ticketId: ticket.id, agentId: agent.id, estimateText: "extra uur", estimateAmountCents: 15_000, now: at("2026-03-02T09:00:00Z") });
      expect((await reload(ticket.id)).slaPausedAt?.toISOString()).to.equal("2026-03-02T08:00:00.000Z");
      expect(await eventTypes(dataSource, ticket.id)).to.deep.equal(["consent_requested", "sla_paused", "consent_requested"]);
    });

    it("refuses a consent without an estimate", async () => {
      const { agent, ticket, context } = await setUp();
      const error = await rejectionOf(costConsentRequester(context, { ticketId: ticket.id, agentId: agent.id, estimateText: "  ", estimateAmountCents: 15_000 }));
      expect(error).to.include({ status: 400 });
      expect(error.details?.field).to.equal("estimateText");
      expect(await dataSource.getRepository(CostConsent).count()).to.equal(0);
      expect((await reload(ticket.id)).slaPausedAt).to.equal(null);
    });

    it("refuses a consent without an amount, or with one that is no amount (R6: never an unexpected cost)", async () => {
      const { agent, ticket, context } = await setUp();
      for (const estimateAmountCents of [undefined, null, Number.NaN, 0, -500, 12.5]) {
        const props = { ticketId: ticket.id, agentId: agent.id, estimateText: "2 uur", estimateAmountCents } as unknown as Parameters<typeof costConsentRequester>[1];
        const error = await rejectionOf(costConsentRequester(context, props));
        expect(error, String(estimateAmountCents)).to.include({ status: 400, id: "validation_failed" });
        expect(error.details?.field).to.equal("estimateAmountCents");
      }
      expect(await dataSource.getRepository(CostConsent).count()).to.equal(0);
      expect((await reload(ticket.id)).slaPausedAt).to.equal(null);
    });

    it("refuses a consent on a ticket without a customer", async () => {
      const agent = await makeAgent(dataSource);
      const ticket = await makeTicket(dataSource, { customerId: null });
      const error = await rejectionOf(costConsentRequester(commandContext(dataSource), { ticketId: ticket.id, agentId: agent.id, estimateText: "1 uur", estimateAmountCents: 15_000 }));
      expect(error).to.include({ status: 409, id: "consent_needs_customer" });
    });
  });

  describe("costConsentRecorder", () => {
    it("records who consented, when and how", async () => {
      const { person, agent, ticket, context } = await setUp();
      const consent = await costConsentRequester(context, { ticketId: ticket.id, agentId: agent.id, estimateText: "€150", estimateAmountCents: 15_000, now: at("2026-03-02T08:00:00Z") });
      const { consent: decided } = await costConsentRecorder(context, {
        consentId: consent.id, decision: "given", personId: person.id, method: "phone", agentId: agent.id, now: at("2026-03-02T08:30:00Z"),
      });
      expect(decided).to.include({ status: "given", decidedByPersonId: person.id, method: "phone" });
      const stored = await dataSource.getRepository(CostConsent).findOneByOrFail({ id: consent.id });
      expect(stored).to.include({ status: "given", decidedByPersonId: person.id, method: "phone" });
      expect(stored.decidedAt?.toISOString()).to.equal("2026-03-02T08:30:00.000Z");
      const event = await dataSource.getRepository(TicketEvent).findOneByOrFail({ ticketId: ticket.id, type: "consent_given" });
      expect(event).to.include({ actorType: "agent", actorId: agent.id });
      expect(event.data).to.include({ personId: person.id, method: "phone", estimateText: "€150", estimateAmountCents: 15_000 });
    });

    it("records a keypress in the IVR as the caller's own act", async () => {
      const { person, agent, ticket, context } = await setUp();
      const consent = await costConsentRequester(context, { ticketId: ticket.id, agentId: agent.id, estimateText: "€80", estimateAmountCents: 15_000 });
      await costConsentRecorder(context, { consentId: consent.id, decision: "refused", personId: person.id, method: "ivr_keypress" });
      const event = await dataSource.getRepository(TicketEvent).findOneByOrFail({ ticketId: ticket.id, type: "consent_refused" });
      expect(event).to.include({ actorType: "caller", actorId: person.id });
    });

    it("refuses consent by a reference person of another customer and leaves the consent pending", async () => {
      const { agent, ticket, context } = await setUp();
      const other = await makeCustomer(dataSource);
      const stranger = await makePerson(dataSource, other.customer.id, { role: "general" });
      const consent = await costConsentRequester(context, { ticketId: ticket.id, agentId: agent.id, estimateText: "€150", estimateAmountCents: 15_000 });
      const error = await rejectionOf(costConsentRecorder(context, { consentId: consent.id, decision: "given", personId: stranger.id, method: "phone", agentId: agent.id }));
      expect(error).to.be.instanceOf(IneligibleConsenterError);
      expect(error).to.include({ status: 422, id: "consenter_not_reference_person" });
      expect((await dataSource.getRepository(CostConsent).findOneByOrFail({ id: consent.id })).status).to.equal("pending");
      expect(await eventTypes(dataSource, ticket.id)).to.not.include("consent_given");
      expect((await reload(ticket.id)).slaPausedAt).to.not.equal(null);
    });

    it("refuses consent by an inactive or erased reference person of the same customer", async () => {
      const { customer, agent, ticket, context } = await setUp();
      const former = await makePerson(dataSource, customer.id, { role: "general", active: false });
      const erased = await makePerson(dataSource, customer.id, { role: "technical", erasedAt: at("2026-01-01T00:00:00Z") });
      const consent = await costConsentRequester(context, { ticketId: ticket.id, agentId: agent.id, estimateText: "€150", estimateAmountCents: 15_000 });
      for (const person of [former, erased]) {
        const error = await rejectionOf(costConsentRecorder(context, { consentId: consent.id, decision: "given", personId: person.id, method: "written", agentId: agent.id }));
        expect(error).to.be.instanceOf(IneligibleConsenterError);
      }
    });

    it("refuses to decide a consent twice", async () => {
      const { person, agent, ticket, context } = await setUp();
      const consent = await costConsentRequester(context, { ticketId: ticket.id, agentId: agent.id, estimateText: "€150", estimateAmountCents: 15_000 });
      await costConsentRecorder(context, { consentId: consent.id, decision: "refused", personId: person.id, method: "phone", agentId: agent.id });
      const error = await rejectionOf(costConsentRecorder(context, { consentId: consent.id, decision: "given", personId: person.id, method: "phone", agentId: agent.id }));
      expect(error).to.include({ status: 409, id: "consent_already_decided" });
      expect((await dataSource.getRepository(CostConsent).findOneByOrFail({ id: consent.id })).status).to.equal("refused");
    });

    it("refuses a decision dated in the future", async () => {
      const { person, agent, ticket, context } = await setUp();
      const consent = await costConsentRequester(context, { ticketId: ticket.id, agentId: agent.id, estimateText: "€150", estimateAmountCents: 15_000 });
      const error = await rejectionOf(costConsentRecorder(context, {
        consentId: consent.id, decision: "given", personId: person.id, method: "written", decidedAt: at("2026-03-03T08:00:00Z"), now: at("2026-03-02T08:00:00Z"),
      }));
      expect(error).to.include({ status: 400 });
      expect(error.details?.field).to.equal("decidedAt");
    });

    it("resumes the SLA after a pending consent, moving the due times by the business time it waited", async () => {
      // Due 10:30 Monday and 12:00 Wednesday (Brussels); paused 09:00–11:00 Monday: two business hours.
      const { person, agent, ticket, context } = await setUp();
      const consent = await costConsentRequester(context, { ticketId: ticket.id, agentId: agent.id, estimateText: "€150", estimateAmountCents: 15_000, now: at("2026-03-02T08:00:00Z") });
      const { slaResumed } = await costConsentRecorder(context, {
        consentId: consent.id, decision: "given", personId: person.id, method: "phone", agentId: agent.id, now: at("2026-03-02T10:00:00Z"),
      });
      expect(slaResumed).to.equal(true);
      const stored = await reload(ticket.id);
      expect(stored.slaPausedAt).to.equal(null);
      expect(stored.firstResponseDueAt?.toISOString()).to.equal("2026-03-02T11:30:00.000Z");
      expect(stored.resolutionDueAt?.toISOString()).to.equal("2026-03-04T13:00:00.000Z");
      const resumed = await dataSource.getRepository(TicketEvent).findOneByOrFail({ ticketId: ticket.id, type: "sla_resumed" });
      expect(resumed.data).to.include({ pausedMinutes: 120 });
    });

    it("counts only business time of a pause that spans the night", async () => {
      // Paused Monday 16:00, decided Tuesday 09:30 (Brussels): 60 + 60 business minutes, not 17.5 hours.
      const { person, agent, ticket, context } = await setUp({ firstResponseDueAt: at("2026-03-03T09:00:00Z"), resolutionDueAt: at("2026-03-05T10:00:00Z") });
      const consent = await costConsentRequester(context, { ticketId: ticket.id, agentId: agent.id, estimateText: "€150", estimateAmountCents: 15_000, now: at("2026-03-02T15:00:00Z") });
      await costConsentRecorder(context, { consentId: consent.id, decision: "given", personId: person.id, method: "phone", now: at("2026-03-03T08:30:00Z") });
      const stored = await reload(ticket.id);
      expect(stored.firstResponseDueAt?.toISOString()).to.equal("2026-03-03T11:00:00.000Z");
      expect(stored.resolutionDueAt?.toISOString()).to.equal("2026-03-05T12:00:00.000Z");
    });

    it("moves the due times by the wall-clock time it waited under a 24/7 policy", async () => {
      const { person, agent, ticket, context } = await setUp({
        twentyFourSeven: true, firstResponseDueAt: at("2026-03-07T22:00:00Z"), resolutionDueAt: at("2026-03-08T18:00:00Z"),
      });
      const consent = await costConsentRequester(context, { ticketId: ticket.id, agentId: agent.id, estimateText: "€150", estimateAmountCents: 15_000, now: at("2026-03-07T20:00:00Z") });
      await costConsentRecorder(context, { consentId: consent.id, decision: "refused", personId: person.id, method: "phone", now: at("2026-03-08T02:00:00Z") });
      const stored = await reload(ticket.id);
      expect(stored.firstResponseDueAt?.toISOString()).to.equal("2026-03-08T04:00:00.000Z");
      expect(stored.resolutionDueAt?.toISOString()).to.equal("2026-03-09T00:00:00.000Z");
    });

    it("keeps the SLA paused while another consent of the ticket is still pending", async () => {
      const { person, agent, ticket, context } = await setUp();
      const first = await costConsentRequester(context, { ticketId: ticket.id, agentId: agent.id, estimateText: "€150", estimateAmountCents: 15_000, now: at("2026-03-02T08:00:00Z") });
      const second = await costConsentRequester(context, { ticketId: ticket.id, agentId: agent.id, estimateText: "€60", estimateAmountCents: 15_000, now: at("2026-03-02T08:10:00Z") });
      const one = await costConsentRecorder(context, { consentId: first.id, decision: "given", personId: person.id, method: "phone", now: at("2026-03-02T09:00:00Z") });
      expect(one.slaResumed).to.equal(false);
      let stored = await reload(ticket.id);
      expect(stored.slaPausedAt?.toISOString()).to.equal("2026-03-02T08:00:00.000Z");
      expect(stored.firstResponseDueAt?.toISOString()).to.equal("2026-03-02T09:30:00.000Z");
      await costConsentRecorder(context, { consentId: second.id, decision: "given", personId: person.id, method: "phone", now: at("2026-03-02T10:00:00Z") });
      stored = await reload(ticket.id);
      expect(stored.slaPausedAt).to.equal(null);
      expect(stored.firstResponseDueAt?.toISOString()).to.equal("2026-03-02T11:30:00.000Z");
    });
  });
});
