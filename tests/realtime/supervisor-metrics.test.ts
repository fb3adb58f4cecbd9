import { expect } from "chai";
import { Call } from "../../entities/Call.js";
import { Ticket } from "../../entities/Ticket.js";
import { ticketCreator } from "../../server/commands/ticket-creator.js";
import { callsPerHour, classifyCall, queueMetrics, type MetricsCall } from "../../server/presenters/supervisor-metrics.js";
import { slaState } from "../../server/presenters/ticket.js";
import { loadSupervisorMetrics } from "../../server/realtime/supervisor-metrics.js";
import type { SupervisorMetrics } from "../../shared-types/console-payloads.js";
import { startTestServer, type TestServer } from "../support/app.js";
import { resetDatabase } from "../support/database.js";
import { fixtures } from "../support/fixtures.js";
import { api, collect, connectSocket, eventually, identifiedCall, login, type ClientSocket } from "../routes/console/helpers.js";

const at = (iso: string) => new Date(iso);

/** A call of today as the IVR and the accept leave it; offsets in seconds after 09:00:00Z. */
function call(overrides: Partial<MetricsCall> & { queued?: number; answered?: number; ended?: number }): MetricsCall {
  const base = at("2026-03-10T09:00:00Z").getTime();
  const t = (seconds: number | undefined) => (seconds === undefined ? null : new Date(base + seconds * 1000));
  return {
    language: "nl",
    createdAt: new Date(base),
    queuedAt: t(overrides.queued),
    acceptedByAgentId: overrides.answered === undefined ? null : 1,
    answeredAt: t(overrides.answered),
    endedAt: t(overrides.ended),
    waitSeconds: null,
    durationSeconds: null,
    outcome: overrides.outcome ?? (overrides.answered === undefined ? "abandoned" : "answered"),
    ...overrides,
  };
}

describe("supervisor figures (SPEC §5)", () => {
  it("counts a hang-up after 5 s in the queue as abandoned and a quicker one as a short abandon", () => {
    expect(classifyCall(call({ queued: 0, ended: 4 }))).to.include({ offered: true, abandoned: false, shortAbandon: true });
    expect(classifyCall(call({ queued: 0, ended: 5 }))).to.include({ offered: true, abandoned: true, shortAbandon: false });
    expect(classifyCall(call({ outcome: "abandoned" }))).to.include({ offered: false, abandoned: false });
    expect(classifyCall(call({ queued: 0, ended: 60, outcome: "callback_requested" }))).to.include({ offered: true, abandoned: false });
  });

  it("computes the service level over answered and abandoned calls, short abandons excluded", () => {
    const figures = queueMetrics("nl", {
      calls: [call({ queued: 0, answered: 10, ended: 310 }), call({ queued: 0, answered: 45, ended: 145 }), call({ queued: 0, ended: 20 }), call({ queued: 0, ended: 2 })],
      waiting: [],
      agents: [{ languages: ["nl"], status: "available" }, { languages: ["nl"], status: "on_call" }],
      tickets: [{ contactType: "incident", language: "nl" }],
    });
    expect(figures).to.include({ offered: 4, answered: 2, abandoned: 1, shortAbandoned: 1, averageWaitSeconds: 28, averageHandleSeconds: 200 });
    expect(figures.serviceLevel).to.be.closeTo(1 / 3, 1e-9);
    expect(figures.agents).to.include({ available: 1, on_call: 1, offline: 0 });
    expect(figures.ticketsByType).to.deep.equal({ question: 0, incident: 1, change: 0, complaint: 0 });
  });

  it("buckets calls per hour of the day in Europe/Brussels", () => {
    const buckets = callsPerHour([call({ createdAt: at("2026-03-10T08:15:00Z"), queued: 0, answered: 3 })], "Europe/Brussels");
    expect(buckets).to.have.length(24);
    expect(buckets[9]).to.deep.equal({ hour: 9, offered: 1, answered: 1, abandoned: 0 });
  });

  it("marks a ticket at risk after 75% of its target and breached after its due time", () => {
    const ticket = { status: "open" as const, createdAt: at("2026-03-10T09:00:00Z"), firstResponseDueAt: at("2026-03-10T10:00:00Z"), firstRespondedAt: null, resolutionDueAt: at("2026-03-10T17:00:00Z"), slaPausedAt: null };
    expect(slaState(ticket, at("2026-03-10T09:40:00Z"))).to.equal("ok");
    expect(slaState(ticket, at("2026-03-10T09:46:00Z"))).to.equal("at_risk");
    expect(slaState(ticket, at("2026-03-10T10:00:01Z"))).to.equal("breached");
    expect(slaState({ ...ticket, slaPausedAt: at("2026-03-10T09:30:00Z") }, at("2026-03-10T10:30:00Z"))).to.equal("paused");
    expect(slaState({ ...ticket, status: "resolved" }, at("2026-03-10T18:00:00Z"))).to.equal("done");
  });

  describe("from the database", () => {
    let server: TestServer;
    const sockets: ClientSocket[] = [];
    beforeEach(async () => {
      server = await startTestServer();
      await resetDatabase(server.context.dataSource);
    });
    afterEach(async () => {
      for (const socket of sockets.splice(0)) socket.close();
      await server.close();
    });

    it("takes 'today' as the Brussels calendar day, whatever the clock of the process", async () => {
      const world = await fixtures(server.context.dataSource).entitledCaller();
      const calls = server.context.dataSource.getRepository(Call);
      const base = { direction: "inbound" as const, fromNumber: "+32470123456", toNumber: "+3232000000", language: "nl" as const, personId: world.person.id, customerId: world.customer.id, outcome: "abandoned" as const };
      // 23:30 UTC on 9 March is 00:30 on 10 March in Brussels: today. 22:30 UTC is still 9 March there.
      await calls.save({ ...base, callSid: "CAday1", createdAt: at("2026-03-09T23:30:00Z"), queuedAt: at("2026-03-09T23:30:10Z"), endedAt: at("2026-03-09T23:31:10Z") });
      await calls.save({ ...base, callSid: "CAday0", createdAt: at("2026-03-09T22:30:00Z"), queuedAt: at("2026-03-09T22:30:10Z"), endedAt: at("2026-03-09T22:31:10Z") });
      const metrics = await loadSupervisorMetrics(server.context, at("2026-03-10T12:00:00Z"));
      expect(metrics.day).to.equal("2026-03-10");
      expect(metrics.total).to.include({ offered: 1, abandoned: 1 });
      expect(metrics.queues.find((q) => q.language === "nl")).to.include({ offered: 1 });
      expect(metrics.callsPerHour[0]).to.deep.equal({ hour: 0, offered: 1, answered: 0, abandoned: 1 });
    });

    it("counts SLA breaches and pending consents and lists pending on-site requests", async () => {
      const world = await fixtures(server.context.dataSource).entitledCaller();
      const agent = await fixtures(server.context.dataSource).agent();
      const ticket = await ticketCreator(server.context, { contactType: "incident", priority: "critical", customerId: world.customer.id, language: "nl", actor: { type: "system" }, openedAt: at("2026-03-10T09:00:00Z") });
      const metrics = await loadSupervisorMetrics(server.context, at("2026-03-11T12:00:00Z"));
      expect(metrics.sla.breached).to.equal(1);
      expect(metrics.sla.tickets.map((t) => [t.id, t.sla])).to.deep.equal([[ticket.id, "breached"]]);
      const cookie = await login(server.url, agent.email);
      await api(server.url, cookie, "POST", `/api/tickets/${ticket.id}/cost-consents`, { estimateText: "1 hour", estimateAmountCents: 9500 });
      await api(server.url, cookie, "POST", `/api/tickets/${ticket.id}/on-site-requests`, { reason: "Server room flooded" });
      const later = await loadSupervisorMetrics(server.context, at("2026-03-11T12:00:00Z"));
      expect(later.pendingCostConsents).to.equal(1);
      expect(later.onSitePending.map((r) => r.ticketId)).to.deep.equal([ticket.id]);
      expect(later.sla.breached).to.equal(0); // the clock waits while consent is pending (R6)
      void Ticket;
    });

    it("pushes fresh figures to supervisors within a second of a change, and to nobody else", async () => {
      const make = fixtures(server.context.dataSource);
      const world = await make.entitledCaller();
      const supervisor = await make.agent({ role: "supervisor", name: "Sofie" });
      const agent = await make.agent({ name: "Els", languages: ["nl"] });
      const agentCookie = await login(server.url, agent.email);
      let pushed: SupervisorMetrics[] = [];
      sockets.push(await connectSocket(server.url, await login(server.url, supervisor.email), (s) => (pushed = collect(s, "supervisor:metrics"))));
      let agentSaw: SupervisorMetrics[] = [];
      sockets.push(await connectSocket(server.url, agentCookie, (s) => (agentSaw = collect(s, "supervisor:metrics"))));
      await eventually(() => pushed[0], 3000, "the figures on connect");

      await api(server.url, agentCookie, "PUT", "/api/me/status", { status: "available" });
      const call = await identifiedCall(server.context, { person: world.person, queued: true });
      await eventually(() => pushed.find((m) => m.total.waiting === 1 && m.total.agents.available === 1), 1000, "one caller waiting");
      const started = Date.now();
      expect((await api(server.url, agentCookie, "POST", `/api/calls/${call.id}/accept`)).status).to.equal(200);
      const after = await eventually(() => pushed.find((m) => m.total.answered === 1), 1000, "the answered call within a second");
      expect(Date.now() - started).to.be.below(1000);
      expect(after.total).to.include({ waiting: 0, offered: 1, answered: 1 });
      expect(after.total.agents.on_call).to.equal(1);
      expect(after.agents.find((a) => a.id === agent.id)!.status).to.equal("on_call");
      expect(agentSaw).to.be.empty;
    });

    it("pushes a change committed on one instance to a supervisor connected to another", async () => {
      const prefix = `sdtest-metrics-${process.pid}-${Date.now()}`;
      await server.close();
      server = await startTestServer({ REDIS_PREFIX: prefix });
      const other = await startTestServer({ REDIS_PREFIX: prefix });
      try {
        const make = fixtures(server.context.dataSource);
        const world = await make.entitledCaller();
        const supervisor = await make.agent({ role: "supervisor", name: "Sofie" });
        let pushed: SupervisorMetrics[] = [];
        sockets.push(await connectSocket(other.url, await login(other.url, supervisor.email), (s) => (pushed = collect(s, "supervisor:metrics"))));
        await eventually(() => pushed[0], 3000, "the figures on connect");
        // Committed and published on the first instance, which has no supervisor of its own.
        await identifiedCall(server.context, { person: world.person, queued: true });
        const fresh = await eventually(() => pushed.find((m) => m.total.waiting === 1), 1000, "the waiting caller within a second, from the other instance");
        expect(fresh.total.waiting).to.equal(1);
      } finally {
        for (const socket of sockets.splice(0)) socket.close();
        await other.close();
      }
    });

    it("relays supervisor alerts and agent notices from the outbox", async () => {
      const make = fixtures(server.context.dataSource);
      const supervisor = await make.agent({ role: "supervisor" });
      const agent = await make.agent();
      const supervisorSocket = await connectSocket(server.url, await login(server.url, supervisor.email));
      const agentSocket = await connectSocket(server.url, await login(server.url, agent.email));
      sockets.push(supervisorSocket, agentSocket);
      const alerts = collect(supervisorSocket, "supervisor:alert");
      const agentAlerts = collect(agentSocket, "supervisor:alert");
      const notices = collect(agentSocket, "agent:notice");
      const { inTransaction } = await import("../../server/commands/transaction.js");
      await inTransaction(server.context, async (tx) => {
        await tx.record("supervisor.alert", { kind: "sla_breached", ticketId: 7, message: "Ticket 2026-000007 breached its SLA" });
        await tx.record("agent.notice", { agentId: agent.id, kind: "remote_session_soon", message: "Remote session in 10 minutes" });
      });
      expect(await eventually(() => alerts[0], 2000, "the alert")).to.include({ kind: "sla_breached", ticketId: 7, message: "Ticket 2026-000007 breached its SLA" });
      expect(await eventually(() => notices[0], 2000, "the notice")).to.include({ kind: "remote_session_soon", ticketId: null });
      expect(agentAlerts).to.be.empty;
    });
  });
});
