import { DateTime } from "luxon";
import { FINISHED_TICKET_STATUSES } from "../../entities/enums.js";
import { In, IsNull, MoreThan, MoreThanOrEqual, Not } from "typeorm";
import { Agent } from "../../entities/Agent.js";
import { Call } from "../../entities/Call.js";
import { CostConsent } from "../../entities/CostConsent.js";
import { OnSiteRequest } from "../../entities/OnSiteRequest.js";
import { SlaPolicy } from "../../entities/SlaPolicy.js";
import { Ticket } from "../../entities/Ticket.js";
import type { SupervisorMetrics } from "../../shared-types/console-payloads.js";
import { calendarOf } from "../commands/transaction.js";
import type { AppContext } from "../context.js";
import { presentAgent } from "../presenters/agent.js";
import { callsPerHour, queuesMetrics } from "../presenters/supervisor-metrics.js";
import { presentOnSiteRequest, presentTicketSummary, slaState, type SlaClock } from "../presenters/ticket.js";

/** A call still waiting after this long is considered lost (its end was never reported). */
const STALE_WAIT_MS = 6 * 3600_000;
/** SLA tickets listed in the live view (the counts cover all). */
const SLA_TICKETS_LISTED = 20;

/**
 * SPEC §5 computed from the database at `now`: "today" is the calendar day in the desk's time zone
 * (Europe/Brussels), whatever the process time zone.
 */
export async function loadSupervisorMetrics(context: Pick<AppContext, "dataSource" | "env" | "calendar">, now = new Date()): Promise<SupervisorMetrics> {
  const manager = context.dataSource.manager;
  const timeZone = context.env.BUSINESS_TIMEZONE;
  const dayStart = DateTime.fromJSDate(now, { zone: timeZone }).startOf("day");
  const since = dayStart.toJSDate();

  const [calls, waiting, agents, tickets] = await Promise.all([
    manager.getRepository(Call).find({
      where: { createdAt: MoreThanOrEqual(since), direction: "inbound" },
      select: { id: true, language: true, createdAt: true, queuedAt: true, acceptedByAgentId: true, answeredAt: true, endedAt: true, waitSeconds: true, durationSeconds: true, outcome: true },
    }),
    manager.getRepository(Call).find({
      where: { outcome: "queued", acceptedByAgentId: IsNull(), endedAt: IsNull(), direction: "inbound", createdAt: MoreThan(new Date(now.getTime() - STALE_WAIT_MS)) },
      select: { id: true, language: true, createdAt: true, queuedAt: true },
    }),
    manager.getRepository(Agent).find({ where: { active: true }, order: { name: "ASC", id: "ASC" } }),
    manager.getRepository(Ticket).find({ where: { createdAt: MoreThanOrEqual(since) }, select: { id: true, contactType: true, language: true } }),
  ]);

  const sla = await slaOverview(context, now);
  const pendingCostConsents = await manager.getRepository(CostConsent).count({ where: { status: "pending" } });
  const onSitePending = await manager.getRepository(OnSiteRequest).find({
    where: { status: "pending" },
    relations: { ticket: { customer: true }, requestedByAgent: true, decidedByAgent: true },
    order: { createdAt: "ASC", id: "ASC" },
  });

  return {
    generatedAt: now.toISOString(),
    day: dayStart.toISODate()!,
    timeZone,
    ...queuesMetrics({ calls, waiting, agents, tickets }),
    callsPerHour: callsPerHour(calls, timeZone),
    sla,
    pendingCostConsents,
    onSitePending: onSitePending.map(presentOnSiteRequest),
    agents: agents.map(presentAgent),
  };
}

/** Open tickets at risk of or in breach of their SLA, measured on each policy's own clock. */
async function slaOverview(context: Pick<AppContext, "dataSource" | "calendar">, now: Date): Promise<SupervisorMetrics["sla"]> {
  const manager = context.dataSource.manager;
  const open = await manager.getRepository(Ticket).find({
    where: { status: Not(In(FINISHED_TICKET_STATUSES)), slaPolicyId: Not(IsNull()) },
    select: { id: true, status: true, createdAt: true, firstResponseDueAt: true, firstRespondedAt: true, resolutionDueAt: true, slaPausedAt: true, slaPolicyId: true },
  });
  if (open.length === 0) return { atRisk: 0, breached: 0, tickets: [] };
  const policies = await manager.getRepository(SlaPolicy).find({ where: { id: In([...new Set(open.map((ticket) => ticket.slaPolicyId!))]) } });
  const calendar = calendarOf(context);
  const businessClock: SlaClock = (from, to) => calendar.businessMinutesBetween(from, to);
  const twentyFourSeven = new Set(policies.filter((policy) => policy.twentyFourSeven).map((policy) => policy.id));

  const flagged: { id: number; state: "at_risk" | "breached" }[] = [];
  for (const ticket of open) {
    const state = slaState(ticket, now, twentyFourSeven.has(ticket.slaPolicyId!) ? undefined : businessClock);
    if (state === "at_risk" || state === "breached") flagged.push({ id: ticket.id, state });
  }
  const breached = flagged.filter((entry) => entry.state === "breached").length;
  // Breaches first, then the oldest at-risk tickets.
  const listed = [...flagged].sort((a, b) => (a.state === b.state ? a.id - b.id : a.state === "breached" ? -1 : 1)).slice(0, SLA_TICKETS_LISTED);
  const loaded = listed.length === 0 ? [] : await manager.getRepository(Ticket).find({ where: { id: In(listed.map((entry) => entry.id)) }, relations: { customer: true, product: true, assignee: true } });
  const byId = new Map(loaded.map((ticket) => [ticket.id, ticket]));
  const states = new Map(listed.map((entry) => [entry.id, entry.state]));
  return {
    atRisk: flagged.length - breached,
    breached,
    tickets: listed
      .map((entry) => byId.get(entry.id))
      .filter((ticket): ticket is Ticket => Boolean(ticket))
      .map((ticket) => ({ ...presentTicketSummary(ticket, now), sla: states.get(ticket.id)! })),
  };
}
