import { expect } from "chai";
import type { DataSource } from "typeorm";
import { OnSiteRequest } from "../../entities/OnSiteRequest.js";
import { TicketEvent } from "../../entities/TicketEvent.js";
import { onSiteDecider } from "../../server/commands/on-site-decider.js";
import { onSiteRequester } from "../../server/commands/on-site-requester.js";
import { resetDatabase, testDataSource } from "../support/database.js";
import { commandContext, eventTypes, makeAgent, makeCustomer, makeTicket, outboxTopics, rejectionOf } from "./fixtures.js";

describe("on-site interventions (R7)", () => {
  let dataSource: DataSource;
  before(async () => {
    dataSource = await testDataSource();
  });
  beforeEach(async () => {
    await resetDatabase(dataSource);
  });

  async function setUp() {
    const { customer } = await makeCustomer(dataSource);
    const agent = await makeAgent(dataSource, "agent");
    const ticket = await makeTicket(dataSource, { customerId: customer.id });
    return { agent, ticket, context: commandContext(dataSource) };
  }

  const reason = "Server room network cabinet flooded; remote access impossible.";

  describe("onSiteRequester", () => {
    it("records a pending request with the written reason and alerts supervisors", async () => {
      const { agent, ticket, context } = await setUp();
      const request = await onSiteRequester(context, { ticketId: ticket.id, agentId: agent.id, reason });
      expect(request).to.include({ status: "pending", reason, requestedByAgentId: agent.id, ticketId: ticket.id });
      expect(await eventTypes(dataSource, ticket.id)).to.deep.equal(["on_site_requested"]);
      expect(await outboxTopics(dataSource)).to.deep.equal(["ticket.event", "supervisor.alert"]);
    });

    it("refuses a request without a written reason", async () => {
      const { agent, ticket, context } = await setUp();
      for (const blank of ["", "   "]) {
        const error = await rejectionOf(onSiteRequester(context, { ticketId: ticket.id, agentId: agent.id, reason: blank }));
        expect(error).to.include({ status: 400 });
        expect(error.details?.field).to.equal("reason");
      }
      expect(await dataSource.getRepository(OnSiteRequest).count()).to.equal(0);
    });

    it("refuses a second request while one is pending", async () => {
      const { agent, ticket, context } = await setUp();
      await onSiteRequester(context, { ticketId: ticket.id, agentId: agent.id, reason });
      const error = await rejectionOf(onSiteRequester(context, { ticketId: ticket.id, agentId: agent.id, reason }));
      expect(error).to.include({ status: 409, id: "on_site_request_pending" });
    });
  });

  describe("onSiteDecider", () => {
    it("refuses an approval by a plain agent and leaves the request pending", async () => {
      const { agent, ticket, context } = await setUp();
      const request = await onSiteRequester(context, { ticketId: ticket.id, agentId: agent.id, reason });
      const colleague = await makeAgent(dataSource, "agent");
      for (const decider of [agent, colleague]) {
        const error = await rejectionOf(onSiteDecider(context, { requestId: request.id, deciderAgentId: decider.id, decision: "approved", reason: "Fine by me" }));
        expect(error).to.include({ status: 403 });
      }
      expect((await dataSource.getRepository(OnSiteRequest).findOneByOrFail({ id: request.id })).status).to.equal("pending");
      expect(await eventTypes(dataSource, ticket.id)).to.deep.equal(["on_site_requested"]);
    });

    it("records a supervisor's approval with who, when and why", async () => {
      const { agent, ticket, context } = await setUp();
      const supervisor = await makeAgent(dataSource, "supervisor");
      const request = await onSiteRequester(context, { ticketId: ticket.id, agentId: agent.id, reason });
      const now = new Date("2026-03-02T10:00:00Z");
      await onSiteDecider(context, { requestId: request.id, deciderAgentId: supervisor.id, decision: "approved", reason: "No remote path; customer critical.", now });
      const stored = await dataSource.getRepository(OnSiteRequest).findOneByOrFail({ id: request.id });
      expect(stored).to.include({ status: "approved", decidedByAgentId: supervisor.id, decisionReason: "No remote path; customer critical." });
      expect(stored.decidedAt?.toISOString()).to.equal(now.toISOString());
      const event = await dataSource.getRepository(TicketEvent).findOneByOrFail({ ticketId: ticket.id, type: "on_site_approved" });
      expect(event).to.include({ actorType: "agent", actorId: supervisor.id });
      expect(event.data).to.include({ reason: "No remote path; customer critical." });
      expect(await outboxTopics(dataSource)).to.include("agent.notice");
    });

    it("lets an administrator refuse, with a reason", async () => {
      const { agent, ticket, context } = await setUp();
      const admin = await makeAgent(dataSource, "admin");
      const request = await onSiteRequester(context, { ticketId: ticket.id, agentId: agent.id, reason });
      await onSiteDecider(context, { requestId: request.id, deciderAgentId: admin.id, decision: "refused", reason: "Try the customer's supplier first." });
      expect((await dataSource.getRepository(OnSiteRequest).findOneByOrFail({ id: request.id })).status).to.equal("refused");
      expect(await eventTypes(dataSource, ticket.id)).to.deep.equal(["on_site_requested", "on_site_refused"]);
    });

    it("refuses a decision without a written reason", async () => {
      const { agent, ticket, context } = await setUp();
      const supervisor = await makeAgent(dataSource, "supervisor");
      const request = await onSiteRequester(context, { ticketId: ticket.id, agentId: agent.id, reason });
      const error = await rejectionOf(onSiteDecider(context, { requestId: request.id, deciderAgentId: supervisor.id, decision: "refused", reason: " " }));
      expect(error).to.include({ status: 400 });
      expect((await dataSource.getRepository(OnSiteRequest).findOneByOrFail({ id: request.id })).status).to.equal("pending");
    });

    it("refuses a supervisor's approval of their own request (403 on_site_self_approval), leaves it pending, and lets another supervisor approve", async () => {
      const { ticket, context } = await setUp();
      const requester = await makeAgent(dataSource, "supervisor");
      const request = await onSiteRequester(context, { ticketId: ticket.id, agentId: requester.id, reason });
      const error = await rejectionOf(onSiteDecider(context, { requestId: request.id, deciderAgentId: requester.id, decision: "approved", reason: "I say so" }));
      expect(error).to.include({ status: 403, id: "on_site_self_approval" });
      expect((await dataSource.getRepository(OnSiteRequest).findOneByOrFail({ id: request.id })).status).to.equal("pending");
      expect(await eventTypes(dataSource, ticket.id)).to.deep.equal(["on_site_requested"]);

      const colleague = await makeAgent(dataSource, "supervisor");
      await onSiteDecider(context, { requestId: request.id, deciderAgentId: colleague.id, decision: "approved", reason: "Checked: no remote path." });
      expect(await dataSource.getRepository(OnSiteRequest).findOneByOrFail({ id: request.id })).to.include({ status: "approved", decidedByAgentId: colleague.id });
    });

    it("lets a supervisor withdraw (refuse) their own request", async () => {
      const { ticket, context } = await setUp();
      const requester = await makeAgent(dataSource, "supervisor");
      const request = await onSiteRequester(context, { ticketId: ticket.id, agentId: requester.id, reason });
      await onSiteDecider(context, { requestId: request.id, deciderAgentId: requester.id, decision: "refused", reason: "Solved remotely after all." });
      expect((await dataSource.getRepository(OnSiteRequest).findOneByOrFail({ id: request.id })).status).to.equal("refused");
    });

    it("refuses to decide a request twice", async () => {
      const { agent, ticket, context } = await setUp();
      const supervisor = await makeAgent(dataSource, "supervisor");
      const request = await onSiteRequester(context, { ticketId: ticket.id, agentId: agent.id, reason });
      await onSiteDecider(context, { requestId: request.id, deciderAgentId: supervisor.id, decision: "approved", reason: "OK" });
      const error = await rejectionOf(onSiteDecider(context, { requestId: request.id, deciderAgentId: supervisor.id, decision: "refused", reason: "Changed my mind" }));
      expect(error).to.include({ status: 409, id: "on_site_already_decided" });
    });
  });
});
