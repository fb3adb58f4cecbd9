import { expect } from "chai";
import type { Queue } from "bullmq";
import { OutboxMessage } from "../../entities/OutboxMessage.js";
import { RemoteSession } from "../../entities/RemoteSession.js";
import { SmsMessage } from "../../entities/SmsMessage.js";
import { TicketEvent } from "../../entities/TicketEvent.js";
import type { Ticket } from "../../entities/Ticket.js";
import { jobQueues } from "../../server/jobs/queues.js";
import { remoteSessionMissedScanJob } from "../../server/jobs/remote-session-missed-scan.js";
import { sessionJobIds } from "../../server/jobs/remote-session-plan.js";
import { remoteSessionSmsJob } from "../../server/jobs/remote-session-sms.js";
import type { SimulatedTwilioClient } from "../../server/twilio/simulated-client.js";
import { startTestServer, type TestServer } from "../support/app.js";
import { resetDatabase } from "../support/database.js";
import { createAgent, createCustomer, createPerson, createTicket, eventually, nextBusinessDayAt } from "./fixtures.js";
import { deskFetch } from "../support/desk-fetch.js";

describe("remote sessions", () => {
  let server: TestServer;
  let queue: Queue;
  let cookie: string;
  let agentId: number;
  let ticket: Ticket;
  let personId: number;
  let otherPersonId: number;

  beforeEach(async () => {
    server = await startTestServer({}, { workers: true });
    const ds = server.context.dataSource;
    await resetDatabase(ds);
    queue = jobQueues(server.context).get("remote-sessions");
    ({ cookie, agent: { id: agentId } } = await createAgent(ds, { uiLanguage: "nl" }));
    const { customer } = await createCustomer(ds);
    personId = (await createPerson(ds, customer.id, { language: "fr", numbers: ["+3231234567", "+32470123456"] })).id;
    otherPersonId = (await createPerson(ds, (await createCustomer(ds)).customer.id)).id;
    ticket = await createTicket(ds, { customerId: customer.id });
  });
  afterEach(async () => {
    await server.close();
  });

  const api = async (method: string, path: string, body?: unknown) => {
    const response = await deskFetch(`${server.url}/api${path}`, {
      method,
      headers: { cookie, ...(body ? { "content-type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: response.status, body: (await response.json()) as Record<string, any> };
  };
  const book = (scheduledAt: Date, extra: Record<string, unknown> = {}) => api("POST", `/tickets/${ticket.id}/remote-sessions`, { personId, scheduledAt: scheduledAt.toISOString(), ...extra });
  const sms = (key: string) => server.context.dataSource.getRepository(SmsMessage).findOneBy({ idempotencyKey: key });
  const waitSms = (key: string) => eventually(async () => { const row = await sms(key); return row?.status === "sent" ? row : null; }, 5000, `SMS ${key}`);
  const events = (type: string) => server.context.dataSource.getRepository(TicketEvent).findBy({ ticketId: ticket.id, type });
  const calendar = () => server.context.calendar;
  const expectDueAround = async (jobId: string, at: number) => {
    const job = await eventually(() => queue.getJob(jobId), 5000, `job ${jobId}`);
    expect(await job.getState()).to.equal("delayed");
    expect(Math.abs(job.timestamp + job.delay - at), `${jobId} runs at its time`).to.be.below(10_000);
    return job;
  };

  it("books a session, texts the confirmation in the person's language to their mobile, and schedules the reminders", async () => {
    const at = nextBusinessDayAt(calendar(), 10, 0);
    const response = await book(at);
    expect(response.status).to.equal(201);
    const session = response.body.session;
    expect(session).to.include({ ticketId: ticket.id, personId, agentId, status: "scheduled", revision: 1, durationMinutes: 30, personName: "Marie Peeters" });
    expect(session.scheduledAt).to.equal(at.toISOString());

    const confirmation = await waitSms(`remote-session-${session.id}-r1-confirmed`);
    expect(confirmation.toNumber).to.equal("+32470123456");
    expect(confirmation.body).to.contain("votre session à distance").and.contain(ticket.number).and.contain("10:00");
    expect(confirmation.status).to.equal("sent");
    const simulated = (await (server.context.twilio as SimulatedTwilioClient).requests()).filter((request) => request.kind === "sms");
    expect(simulated.map((request) => request.params.body)).to.deep.equal([confirmation.body]);

    const ids = sessionJobIds(session.id, 1);
    await expectDueAround(ids.sms("reminder"), at.getTime() - 3600_000);
    await expectDueAround(ids.agent, at.getTime() - 600_000);
    expect((await events("remote_session_booked")).map((event) => event.data)).to.deep.equal([{ sessionId: session.id, personId, scheduledAt: at.toISOString(), durationMinutes: 30 }]);
  });

  it("sends the reminder SMS an hour before and the agent's in-app reminder ten minutes before, once each", async () => {
    const at = nextBusinessDayAt(calendar(), 14, 30);
    const { body } = await book(at, { durationMinutes: 60 });
    const ids = sessionJobIds(body.session.id, 1);
    await waitSms(`remote-session-${body.session.id}-r1-confirmed`);
    await (await expectDueAround(ids.sms("reminder"), at.getTime() - 3600_000)).promote();
    await (await expectDueAround(ids.agent, at.getTime() - 600_000)).promote();

    const reminder = await waitSms(`remote-session-${body.session.id}-r1-reminder`);
    expect(reminder.body).to.equal(`Care Solutions : rappel, votre session à distance pour le ticket ${ticket.number} commence aujourd'hui à 14:30.`);
    await eventually(async () => (await events("remote_session_agent_reminded")).length === 1, 5000, "agent reminder");
    const notices = (await server.context.dataSource.getRepository(OutboxMessage).findBy({ topic: "agent.notice" })).map((row) => row.payload);
    expect(notices).to.deep.equal([{ agentId, kind: "remote_session_soon", ticketId: ticket.id, message: `Sessie op afstand voor ticket ${ticket.number} met Marie Peeters begint om 14:30.` }]);

    // The same jobs run again (a retry, a stalled worker): nothing is sent or written twice.
    await queue.add(remoteSessionSmsJob.name, { sessionId: body.session.id, revision: 1, message: "reminder" }, { jobId: "again-sms" });
    await queue.add("remote-session-agent-reminder", { sessionId: body.session.id, revision: 1 }, { jobId: "again-agent" });
    await eventually(async () => (await queue.getJobState("again-sms")) === "completed" && (await queue.getJobState("again-agent")) === "completed", 5000, "repeated jobs");
    expect(await server.context.dataSource.getRepository(SmsMessage).count()).to.equal(2);
    expect(await events("remote_session_agent_reminded")).to.have.length(1);
    expect(await server.context.dataSource.getRepository(OutboxMessage).countBy({ topic: "agent.notice" })).to.equal(1);
  });

  it("moves the delayed jobs when the session is rescheduled, and a job of the old time does nothing", async () => {
    const first = nextBusinessDayAt(calendar(), 10, 0);
    const second = nextBusinessDayAt(calendar(), 15, 0, 2);
    const { body } = await book(first);
    const id = body.session.id;
    await waitSms(`remote-session-${id}-r1-confirmed`);
    await expectDueAround(sessionJobIds(id, 1).sms("reminder"), first.getTime() - 3600_000);

    const moved = await api("PATCH", `/remote-sessions/${id}`, { scheduledAt: second.toISOString() });
    expect(moved.status).to.equal(200);
    expect(moved.body.session).to.include({ revision: 2, status: "scheduled", scheduledAt: second.toISOString() });
    const rescheduled = await waitSms(`remote-session-${id}-r2-rescheduled`);
    expect(rescheduled.body).to.contain("est déplacée au").and.contain("15:00");
    await expectDueAround(sessionJobIds(id, 2).sms("reminder"), second.getTime() - 3600_000);
    await expectDueAround(sessionJobIds(id, 2).agent, second.getTime() - 600_000);
    await eventually(async () => !(await queue.getJob(sessionJobIds(id, 1).sms("reminder"))) && !(await queue.getJob(sessionJobIds(id, 1).agent)), 5000, "old jobs removed");

    await queue.add(remoteSessionSmsJob.name, { sessionId: id, revision: 1, message: "reminder" }, { jobId: "stale-reminder" });
    await eventually(async () => (await queue.getJobState("stale-reminder")) === "completed", 5000, "stale job");
    expect(await sms(`remote-session-${id}-r1-reminder`)).to.equal(null);
    expect((await events("remote_session_rescheduled"))[0]!.data).to.deep.include({ from: first.toISOString(), to: second.toISOString(), revision: 2 });
  });

  it("cancels a session: its reminders go, the person is told, and a second cancel is a 409", async () => {
    const at = nextBusinessDayAt(calendar(), 11, 0);
    const { body } = await book(at);
    const id = body.session.id;
    await expectDueAround(sessionJobIds(id, 1).sms("reminder"), at.getTime() - 3600_000);

    const cancelled = await api("PATCH", `/remote-sessions/${id}`, { status: "cancelled" });
    expect(cancelled.status).to.equal(200);
    expect(cancelled.body.session).to.include({ status: "cancelled", revision: 2 });
    expect((await waitSms(`remote-session-${id}-r2-cancelled`)).body).to.contain("est annulée");
    await eventually(async () => !(await queue.getJob(sessionJobIds(id, 1).sms("reminder"))) && !(await queue.getJob(sessionJobIds(id, 1).agent)), 5000, "reminders removed");

    const again = await api("PATCH", `/remote-sessions/${id}`, { status: "cancelled" });
    expect(again.status).to.equal(409);
    expect(again.body.error).to.include({ id: "session_finished" });
    expect(again.body.error.message).to.match(/already cancelled/);
    const move = await api("PATCH", `/remote-sessions/${id}`, { scheduledAt: at.toISOString() });
    expect(move.status).to.equal(409);
  });

  it("refuses to cancel a completed session with a clear 409 and changes nothing", async () => {
    const { body } = await book(nextBusinessDayAt(calendar(), 9, 0));
    const id = body.session.id;
    expect((await api("PATCH", `/remote-sessions/${id}`, { status: "completed" })).status).to.equal(200);
    const cancel = await api("PATCH", `/remote-sessions/${id}`, { status: "cancelled" });
    expect(cancel.status).to.equal(409);
    expect(cancel.body.error).to.deep.include({ id: "session_finished", status: "completed" });
    expect((await server.context.dataSource.getRepository(RemoteSession).findOneByOrFail({ id })).status).to.equal("completed");
    expect(await events("remote_session_cancelled")).to.have.length(0);
  });

  it("refuses a session in the past, outside business hours or with someone else's person, and schedules nothing", async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ scheduledAt: new Date(Date.now() - 3600_000).toISOString() }, "session_in_past"],
      [{ scheduledAt: nextBusinessDayAt(calendar(), 20, 0).toISOString() }, "outside_business_hours"],
      [{ scheduledAt: nextBusinessDayAt(calendar(), 7, 0).toISOString() }, "outside_business_hours"],
      [{ scheduledAt: nextBusinessDayAt(calendar(), 16, 45).toISOString(), durationMinutes: 30 }, "outside_business_hours"],
      [{ scheduledAt: nextSaturdayAt10().toISOString() }, "outside_business_hours"],
      [{ scheduledAt: nextBusinessDayAt(calendar(), 10, 0).toISOString(), personId: otherPersonId }, "invalid_person"],
      [{ scheduledAt: "tomorrow at ten" }, "validation_failed"],
      [{ scheduledAt: nextBusinessDayAt(calendar(), 10, 0).toISOString(), durationMinutes: 5 }, "validation_failed"],
    ];
    for (const [input, errorId] of cases) {
      const response = await api("POST", `/tickets/${ticket.id}/remote-sessions`, { personId, ...input });
      expect(response.status, JSON.stringify(input)).to.equal(400);
      expect(response.body.error.id, JSON.stringify(input)).to.equal(errorId);
      expect(response.body.error.field ?? response.body.error.fields?.[0]?.field).to.be.oneOf(["scheduledAt", "personId", "durationMinutes"]);
      expect(response.body.error.message).to.be.a("string").and.not.equal("");
    }
    expect(await server.context.dataSource.getRepository(RemoteSession).count()).to.equal(0);
    expect(await server.context.dataSource.getRepository(OutboxMessage).countBy({ topic: "remote_session.changed" })).to.equal(0);
    // Only the missed-session scan's scheduler has a job; nothing was scheduled for a session.
    const jobs = await queue.getJobs(["waiting", "delayed", "active", "completed", "failed"]);
    expect(jobs.map((job) => job.name)).to.deep.equal([remoteSessionMissedScanJob.name]);
    expect(await server.context.dataSource.getRepository(SmsMessage).count()).to.equal(0);
  });

  it("lists a ticket's sessions and answers 404 for an unknown ticket and 401 without a session", async () => {
    await book(nextBusinessDayAt(calendar(), 13, 0));
    const list = await api("GET", `/tickets/${ticket.id}/remote-sessions`);
    expect(list.status).to.equal(200);
    expect(list.body.sessions).to.have.length(1);
    expect(Object.keys(list.body.sessions[0]).sort()).to.deep.equal(["agentId", "agentName", "durationMinutes", "id", "personId", "personName", "revision", "scheduledAt", "status", "ticketId"]);
    expect((await api("GET", `/tickets/999999/remote-sessions`)).status).to.equal(404);
    const anonymous = await fetch(`${server.url}/api/tickets/${ticket.id}/remote-sessions`);
    expect(anonymous.status).to.equal(401);
  });

  it("records a session not held by its end as missed, once, and tells the agent", async () => {
    const repository = server.context.dataSource.getRepository(RemoteSession);
    const start = new Date("2026-03-02T09:00:00Z");
    const session = await repository.save(repository.create({ ticketId: ticket.id, personId, agentId, scheduledAt: start, durationMinutes: 30, status: "scheduled", revision: 1, notes: null }));
    const scan = async (now: Date, jobId: string) => {
      await queue.add(remoteSessionMissedScanJob.name, { now: now.toISOString() }, { jobId });
      await eventually(async () => (await queue.getJobState(jobId)) === "completed", 5000, jobId);
    };
    await scan(new Date(start.getTime() + 45 * 60_000), "scan-early");
    expect((await repository.findOneByOrFail({ id: session.id })).status).to.equal("scheduled");
    await scan(new Date(start.getTime() + 61 * 60_000), "scan-late");
    await scan(new Date(start.getTime() + 90 * 60_000), "scan-later");
    expect(await repository.findOneByOrFail({ id: session.id })).to.include({ status: "missed", revision: 2 });
    expect(await events("remote_session_missed")).to.have.length(1);
    const notices = await server.context.dataSource.getRepository(OutboxMessage).findBy({ topic: "agent.notice" });
    expect(notices.map((row) => row.payload)).to.deep.equal([
      { agentId, kind: "remote_session_missed", ticketId: ticket.id, message: `De sessie op afstand voor ticket ${ticket.number} van maandag 2 maart 2026 10:00 werd niet als gehouden gemarkeerd: geregistreerd als gemist.` },
    ]);
  });

  function nextSaturdayAt10(): Date {
    const weekday = nextBusinessDayAt(calendar(), 10, 0);
    for (let days = 1; days <= 7; days++) {
      const candidate = new Date(weekday.getTime() + days * 86_400_000);
      if (calendar().localDate(candidate) && new Intl.DateTimeFormat("en", { timeZone: "Europe/Brussels", weekday: "short" }).format(candidate) === "Sat") return candidate;
    }
    throw new Error("no Saturday");
  }
});
