import { expect } from "chai";
import type { Queue } from "bullmq";
import type { Agent } from "../../entities/Agent.js";
import { OutboxMessage } from "../../entities/OutboxMessage.js";
import type { SlaPolicy } from "../../entities/SlaPolicy.js";
import { Ticket } from "../../entities/Ticket.js";
import { TicketEvent } from "../../entities/TicketEvent.js";
import { jobQueues } from "../../server/jobs/queues.js";
import { SCAN_PRIORITY } from "../../server/jobs/kind.js";
import { findSlaAlerts, slaScanJob } from "../../server/jobs/sla-scan.js";
import { startTestServer, type TestServer } from "../support/app.js";
import { resetDatabase } from "../support/database.js";
import { createAgent, createCustomer, createTicket, nextBusinessDayAt, runAndSettle } from "./fixtures.js";

describe("SLA reminders and escalation", () => {
  let server: TestServer;
  let queue: Queue;
  let agent: Agent;
  let customerId: number;
  let policy: SlaPolicy;
  let opened: Date;
  let scans = 0;

  beforeEach(async () => {
    server = await startTestServer({}, { workers: true });
    await resetDatabase(server.context.dataSource);
    queue = jobQueues(server.context).get("sla");
    ({ agent } = await createAgent(server.context.dataSource, { uiLanguage: "fr" }));
    ({ customer: { id: customerId }, policy } = await createCustomer(server.context.dataSource));
    opened = nextBusinessDayAt(server.context.calendar, 10, 0);
  });
  afterEach(async () => {
    await server.close();
  });

  /** A normal-priority ticket opened at 10:00: first response due 11:00, resolution after 480 business minutes. */
  const openTicket = (values: Partial<Ticket> = {}) =>
    createTicket(server.context.dataSource, {
      customerId,
      slaPolicyId: policy.id,
      assigneeId: agent.id,
      firstResponseDueAt: new Date(opened.getTime() + 60 * 60_000),
      resolutionDueAt: server.context.calendar.addBusinessMinutes(opened, 480),
      ...values,
    });
  const scanAt = (minutesAfterOpening: number) => runAndSettle(queue, slaScanJob.name, { now: new Date(opened.getTime() + minutesAfterOpening * 60_000).toISOString() }, `scan-${++scans}`);
  const events = (ticketId: number) => server.context.dataSource.getRepository(TicketEvent).find({ where: { ticketId }, order: { id: "ASC" } });
  const outbox = async (topic: string) => (await server.context.dataSource.getRepository(OutboxMessage).find({ where: { topic }, order: { id: "ASC" } })).map((row) => row.payload);

  it("reminds the assigned agent at 75% of the first-response target, once", async () => {
    const ticket = await openTicket();
    await scanAt(40);
    expect(await events(ticket.id)).to.deep.equal([]);
    await scanAt(46);
    await scanAt(50);
    const reminders = (await events(ticket.id)).filter((event) => event.type === "sla_reminder");
    expect(reminders.map((event) => event.data)).to.deep.equal([{ target: "first_response", dueAt: ticket.firstResponseDueAt!.toISOString(), notified: agent.id }]);
    expect(await outbox("agent.notice")).to.deep.equal([
      { agentId: agent.id, kind: "sla_reminder", ticketId: ticket.id, message: `Ticket ${ticket.number} : première réponse attendu(e) à ${frenchDateTime(ticket.firstResponseDueAt!)} (75 % du délai SLA écoulé).` },
    ]);
    expect(await outbox("supervisor.alert")).to.deep.equal([]);
  });

  it("escalates a breach to supervisors and records sla_breached once per target", async () => {
    const ticket = await openTicket();
    await scanAt(61);
    await scanAt(70);
    const breaches = (await events(ticket.id)).filter((event) => event.type === "sla_breached");
    expect(breaches.map((event) => event.data)).to.deep.equal([{ target: "first_response", dueAt: ticket.firstResponseDueAt!.toISOString(), notified: "supervisors" }]);
    const alerts = await outbox("supervisor.alert");
    expect(alerts).to.have.length(1);
    expect(alerts[0]).to.deep.include({ kind: "sla_breached", ticketId: ticket.id });
    expect(alerts[0]!.message).to.match(new RegExp(`^Ticket ${ticket.number}: first response SLA breached \\(due `));
    expect((await outbox("agent.notice")).map((notice) => notice.kind)).to.deep.equal(["sla_breached"]);
  });

  it("leaves a ticket alone while its clock is paused for a cost consent, and one already answered or resolved", async () => {
    const paused = await openTicket({ slaPausedAt: new Date(opened.getTime() + 30 * 60_000) });
    const answered = await openTicket({ firstRespondedAt: new Date(opened.getTime() + 5 * 60_000) });
    const resolved = await openTicket({ status: "resolved", resolvedAt: new Date(opened.getTime() + 20 * 60_000) });
    await scanAt(120);
    expect(await events(paused.id)).to.deep.equal([]);
    expect(await events(answered.id)).to.deep.equal([]);
    expect(await events(resolved.id)).to.deep.equal([]);

    // Once consent is decided the clock runs again (the lead's resume moves the due times) and alerts come.
    await server.context.dataSource.getRepository(Ticket).update({ id: paused.id }, { slaPausedAt: null });
    await scanAt(121);
    expect((await events(paused.id)).map((event) => event.type)).to.deep.equal(["sla_breached"]);
  });

  it("alerts supervisors at 75% when nobody is assigned", async () => {
    const ticket = await openTicket({ assigneeId: null });
    await scanAt(50);
    expect((await outbox("supervisor.alert")).map((alert) => [alert.kind, alert.ticketId])).to.deep.equal([["sla_at_risk", ticket.id]]);
    expect((await events(ticket.id)).map((event) => event.data?.notified)).to.deep.equal(["supervisors"]);
  });

  it("counts the target in business hours: a resolution clock does not run overnight", async () => {
    const ticket = await openTicket({ firstRespondedAt: opened });
    const types = async () => (await events(ticket.id)).map((event) => event.type);
    await scanAt(5 * 60 + 58); // 15:58: 358 of 480 business minutes used
    expect(await types()).to.deep.equal([]);
    await scanAt(8 * 60); // 18:00: eight hours later, but only 420 business minutes: at risk, not breached
    expect(await types()).to.deep.equal(["sla_reminder"]);
    const dueAt = ticket.resolutionDueAt!;
    expect(server.context.calendar.localDate(dueAt)).to.not.equal(server.context.calendar.localDate(opened));
    await runAndSettle(queue, slaScanJob.name, { now: new Date(dueAt.getTime() + 60_000).toISOString() }, "scan-breach");
    expect(await types()).to.deep.equal(["sla_reminder", "sla_breached"]);
  });

  it("finds only alerts not yet recorded, enqueues at most FOLLOW_UP_SCAN_LIMIT a scan (longest overdue first) and says so", async () => {
    await server.close();
    server = await startTestServer({ FOLLOW_UP_SCAN_LIMIT: "2" }, { workers: true });
    queue = jobQueues(server.context).get("sla");
    // Five tickets whose first response fell due one minute apart, the last one first.
    const tickets: Ticket[] = [];
    for (let n = 0; n < 5; n++) tickets.unshift(await openTicket({ firstResponseDueAt: new Date(opened.getTime() + (60 + 4 - n) * 60_000) }));
    const breached = async () => (await server.context.dataSource.getRepository(TicketEvent).find({ where: { type: "sla_breached" } })).map((event) => tickets.findIndex((ticket) => ticket.id === event.ticketId)).sort();
    const at = new Date(opened.getTime() + 70 * 60_000);
    expect((await findSlaAlerts(server.context, at)).map((alert) => tickets.findIndex((ticket) => ticket.id === alert.ticketId))).to.deep.equal([0, 1, 2, 3, 4]);
    await scanAt(70);
    expect(await breached()).to.deep.equal([0, 1]);
    expect((await queue.getJob(`scan-${scans}`))?.returnvalue, "the scan's summary").to.deep.equal({ remindersDue: 0, breachesDue: 5, enqueued: 2 });
    expect((await queue.getJob(`sla-breach-${tickets[0]!.id}-first_response-${tickets[0]!.firstResponseDueAt!.getTime()}`))?.opts.priority, "a scan's jobs wait behind fresh ones").to.equal(SCAN_PRIORITY);
    // Recorded alerts are not found again, so each scan gets further, and then finds nothing.
    expect((await findSlaAlerts(server.context, at)).map((alert) => alert.ticketId)).to.deep.equal(tickets.slice(2).map((ticket) => ticket.id));
    await scanAt(71);
    await scanAt(72);
    expect(await breached()).to.deep.equal([0, 1, 2, 3, 4]);
    expect(await findSlaAlerts(server.context, at)).to.deep.equal([]);
    // The resolution clock: reminded once per due time (the others are resolved, so it is the only one due).
    await server.context.dataSource.getRepository(Ticket).update({ id: tickets[0]!.id }, { firstRespondedAt: opened });
    for (const ticket of tickets.slice(1)) await server.context.dataSource.getRepository(Ticket).update({ id: ticket.id }, { status: "resolved", resolvedAt: at });
    const moved = server.context.calendar.addBusinessMinutes(opened, 480);
    expect(tickets[0]!.resolutionDueAt!.getTime()).to.equal(moved.getTime());
    await scanAt(7 * 60);
    await scanAt(7 * 60 + 1);
    const reminders = await server.context.dataSource.getRepository(TicketEvent).find({ where: { type: "sla_reminder", ticketId: tickets[0]!.id } });
    expect(reminders.map((event) => event.data?.target)).to.deep.equal(["resolution"]);
  });

  function frenchDateTime(at: Date): string {
    const date = new Intl.DateTimeFormat("fr-BE", { timeZone: "Europe/Brussels", weekday: "long", day: "numeric", month: "long", year: "numeric" }).format(at);
    const time = new Intl.DateTimeFormat("fr-BE", { timeZone: "Europe/Brussels", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(at).replace(" h ", ":");
    return `${date} ${time}`;
  }
});
