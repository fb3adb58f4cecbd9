import { expect } from "chai";
import type { Queue } from "bullmq";
import type { Agent } from "../../entities/Agent.js";
import { CostConsent } from "../../entities/CostConsent.js";
import { OutboxMessage } from "../../entities/OutboxMessage.js";
import { SmsMessage } from "../../entities/SmsMessage.js";
import { Ticket } from "../../entities/Ticket.js";
import { TicketEvent } from "../../entities/TicketEvent.js";
import { ticketCreator } from "../../server/commands/ticket-creator.js";
import { inTransaction } from "../../server/commands/transaction.js";
import { findComplaintFollowUps, findWaitingFollowUps, followUpScanJob } from "../../server/jobs/follow-up-scan.js";
import { SCAN_PRIORITY } from "../../server/jobs/kind.js";
import { jobQueues } from "../../server/jobs/queues.js";
import { startTestServer, type TestServer } from "../support/app.js";
import { resetDatabase } from "../support/database.js";
import { createAgent, createCustomer, createPerson, createTicket, eventually, nextBusinessDayAt, runAndSettle } from "./fixtures.js";

describe("follow-ups", () => {
  let server: TestServer;
  let queue: Queue;
  let agent: Agent;
  let customerId: number;
  let scans = 0;

  beforeEach(async () => {
    server = await startTestServer({ FOLLOW_UP_BUSINESS_DAYS: "2" }, { workers: true });
    await resetDatabase(server.context.dataSource);
    queue = jobQueues(server.context).get("follow-ups");
    ({ agent } = await createAgent(server.context.dataSource, { uiLanguage: "en" }));
    ({ customer: { id: customerId } } = await createCustomer(server.context.dataSource));
  });
  afterEach(async () => {
    await server.close();
  });

  const scan = (now: Date) => runAndSettle(queue, followUpScanJob.name, { now: now.toISOString() }, `follow-up-scan-${++scans}`);
  const types = async (ticketId: number) => (await server.context.dataSource.getRepository(TicketEvent).find({ where: { ticketId }, order: { id: "ASC" } })).map((event) => event.type);
  const outbox = async (topic: string) => (await server.context.dataSource.getRepository(OutboxMessage).find({ where: { topic }, order: { id: "ASC" } })).map((row) => row.payload);
  const minutesAfter = (at: Date, minutes: number) => new Date(at.getTime() + minutes * 60_000);

  it("reminds the agent after the configured business days on the customer, then tells the customer, then closes", async () => {
    const person = await createPerson(server.context.dataSource, customerId, { language: "de" });
    const ticket = await createTicket(server.context.dataSource, { customerId, reporterId: person.id, assigneeId: agent.id, status: "waiting_on_customer" });
    const since = nextBusinessDayAt(server.context.calendar, 11, 0);
    await server.context.dataSource.getRepository(Ticket).update({ id: ticket.id }, { updatedAt: since });
    expect((await server.context.dataSource.getRepository(Ticket).findOneByOrFail({ id: ticket.id })).updatedAt.toISOString()).to.equal(since.toISOString());
    const calendar = server.context.calendar;

    await scan(minutesAfter(calendar.addBusinessDays(since, 2), -1));
    expect(await types(ticket.id)).to.deep.equal([]);
    await scan(minutesAfter(calendar.addBusinessDays(since, 2), 1));
    await scan(minutesAfter(calendar.addBusinessDays(since, 2), 30));
    expect(await types(ticket.id)).to.deep.equal(["follow_up_reminder"]);
    expect(await outbox("agent.notice")).to.deep.equal([
      { agentId: agent.id, kind: "follow_up_due", ticketId: ticket.id, message: `Ticket ${ticket.number} has been waiting on the customer for 2 business days: follow up.` },
    ]);

    const noticeAt = minutesAfter(calendar.addBusinessDays(since, 4), 1);
    await scan(noticeAt);
    await scan(minutesAfter(noticeAt, 5));
    expect(await types(ticket.id)).to.deep.equal(["follow_up_reminder", "auto_close_notice"]);
    const sms = await server.context.dataSource.getRepository(SmsMessage).find();
    expect(sms).to.have.length(1);
    expect(sms[0]!.toNumber).to.equal("+32470123456");
    const closesOn = calendar.addBusinessDays(noticeAt, 2);
    const germanDate = new Intl.DateTimeFormat("de-DE", { timeZone: "Europe/Brussels", weekday: "long", day: "numeric", month: "long", year: "numeric" }).format(closesOn);
    expect(sms[0]!.body).to.equal(`Care Solutions: Ticket ${ticket.number} wartet auf Ihre Antwort. Ohne Rückmeldung schließen wir es am ${germanDate}.`);

    await scan(minutesAfter(closesOn, -1));
    expect((await server.context.dataSource.getRepository(Ticket).findOneByOrFail({ id: ticket.id })).status).to.equal("waiting_on_customer");
    await scan(minutesAfter(closesOn, 1));
    const closed = await server.context.dataSource.getRepository(Ticket).findOneByOrFail({ id: ticket.id });
    expect(closed.status).to.equal("closed");
    expect(await types(ticket.id)).to.deep.equal(["follow_up_reminder", "auto_close_notice", "auto_closed"]);
  });

  it("starts a new waiting period when the ticket changes, and forgets a ticket no longer waiting", async () => {
    const ticket = await createTicket(server.context.dataSource, { customerId, assigneeId: agent.id, status: "waiting_on_customer" });
    const since = nextBusinessDayAt(server.context.calendar, 9, 0);
    await server.context.dataSource.getRepository(Ticket).update({ id: ticket.id }, { updatedAt: since });
    await scan(minutesAfter(server.context.calendar.addBusinessDays(since, 2), 1));
    await server.context.dataSource.getRepository(Ticket).update({ id: ticket.id }, { status: "in_progress" });
    await scan(minutesAfter(server.context.calendar.addBusinessDays(since, 5), 1));
    expect(await types(ticket.id)).to.deep.equal(["follow_up_reminder"]);
  });

  it("enqueues at most FOLLOW_UP_SCAN_LIMIT follow-ups a scan, oldest first and behind jobs enqueued by events; the next scan takes the rest", async () => {
    await server.close();
    server = await startTestServer({ FOLLOW_UP_BUSINESS_DAYS: "2", FOLLOW_UP_SCAN_LIMIT: "2" }, { workers: true });
    queue = jobQueues(server.context).get("follow-ups");
    const since = nextBusinessDayAt(server.context.calendar, 10, 0);
    const tickets: Ticket[] = [];
    for (let n = 0; n < 5; n++) {
      const ticket = await createTicket(server.context.dataSource, { customerId, assigneeId: agent.id, status: "waiting_on_customer" });
      await server.context.dataSource.getRepository(Ticket).update({ id: ticket.id }, { updatedAt: since });
      tickets.push(ticket);
    }
    const reminded = async () => {
      const reminders = await server.context.dataSource.getRepository(TicketEvent).find({ where: { type: "follow_up_reminder" }, order: { ticketId: "ASC" } });
      return reminders.map((event) => tickets.findIndex((ticket) => ticket.id === event.ticketId));
    };
    // The reminders are due, the auto-close notices not yet.
    const at = minutesAfter(server.context.calendar.addBusinessDays(since, 2), 1);
    expect((await findWaitingFollowUps(server.context, at)).map((job) => job.stage)).to.deep.equal(["reminder", "reminder", "reminder", "reminder", "reminder"]);
    await scan(at);
    expect(await reminded()).to.deep.equal([0, 1]);
    expect((await queue.getJob(`follow-up-scan-${scans}`))?.returnvalue, "the scan's summary").to.deep.include({ waitingDue: 5, waitingEnqueued: 2, complaintsDue: 0 });
    const job = await queue.getJob(`waiting-reminder-${tickets[0]!.id}-${since.getTime()}`);
    expect(job?.opts.priority, "a scan's jobs wait behind fresh ones").to.equal(SCAN_PRIORITY);
    // Done follow-ups are not found again, so each scan gets further.
    expect((await findWaitingFollowUps(server.context, at)).map((job) => job.ticketId)).to.deep.equal(tickets.slice(2).map((ticket) => ticket.id));
    await scan(minutesAfter(at, 5));
    expect(await reminded()).to.deep.equal([0, 1, 2, 3]);
    await scan(minutesAfter(at, 10));
    expect(await reminded()).to.deep.equal([0, 1, 2, 3, 4]);
    expect(await findWaitingFollowUps(server.context, minutesAfter(at, 15))).to.deep.equal([]);
  });

  it("alerts supervisors when a complaint comes in and again when nobody followed up within one business day", async () => {
    const complaint = await ticketCreator(server.context, { contactType: "complaint", customerId, language: "nl", actor: { type: "agent", id: agent.id } });
    await eventually(async () => (await types(complaint.id)).includes("complaint_follow_up_requested"), 5000, "the complaint alert");
    const requested = (await outbox("supervisor.alert"))[0]!;
    expect(requested).to.deep.include({ kind: "complaint", ticketId: complaint.id });
    expect(requested.message).to.match(new RegExp(`^Complaint ${complaint.number}: a supervisor follows up before `));

    const due = server.context.calendar.addBusinessDays(complaint.createdAt, 1);
    await scan(minutesAfter(due, -1));
    await scan(minutesAfter(due, 1));
    await scan(minutesAfter(due, 60));
    expect((await outbox("supervisor.alert")).map((alert) => alert.kind)).to.deep.equal(["complaint", "complaint_overdue"]);
    expect((await types(complaint.id)).filter((type) => type.startsWith("complaint_"))).to.deep.equal(["complaint_follow_up_requested", "complaint_follow_up_overdue"]);

    const { agent: supervisor } = await createAgent(server.context.dataSource, { role: "supervisor" });
    const handled = await ticketCreator(server.context, { contactType: "complaint", customerId, language: "fr", actor: { type: "caller" } });
    await eventually(async () => (await types(handled.id)).includes("complaint_follow_up_requested"), 5000, "the second alert");
    await inTransaction(server.context, (tx) => tx.ticketEvent(handled.id, "note_added", { type: "agent", id: supervisor.id }, { text: "Called the customer back" }));
    const handledDue = minutesAfter(server.context.calendar.addBusinessDays(handled.createdAt, 1), 1);
    expect((await findComplaintFollowUps(server.context, handledDue)).map((found) => found.ticketId), "a complaint a supervisor acted on is not found again").to.deep.equal([]);
    await scan(handledDue);
    expect(await types(handled.id)).to.not.include("complaint_follow_up_overdue");
  });

  it("reminds the agent of a cost consent pending for a business day, once", async () => {
    const ticket = await createTicket(server.context.dataSource, { customerId, assigneeId: null });
    const consent = await server.context.dataSource.getRepository(CostConsent).save({ ticketId: ticket.id, status: "pending", estimateText: "2 hours at €95", requestedByAgentId: agent.id });
    const due = server.context.calendar.addBusinessDays(consent.createdAt, 1);
    await scan(minutesAfter(due, -1));
    expect(await types(ticket.id)).to.deep.equal([]);
    await scan(minutesAfter(due, 1));
    await scan(minutesAfter(due, 20));
    expect(await types(ticket.id)).to.deep.equal(["consent_reminder"]);
    const [notice] = await outbox("agent.notice");
    expect(notice).to.deep.include({ agentId: agent.id, kind: "consent_pending", ticketId: ticket.id });
    expect(notice!.message).to.match(new RegExp(`^Ticket ${ticket.number}: cost consent still waiting on the customer since `));
  });
});
