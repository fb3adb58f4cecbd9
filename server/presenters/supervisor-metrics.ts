import { DateTime } from "luxon";
import type { Agent } from "../../entities/Agent.js";
import type { Call } from "../../entities/Call.js";
import { AGENT_STATUSES, CONTACT_TYPES, LANGUAGES, type AgentStatus, type ContactType, type Language } from "../../entities/enums.js";
import type { Ticket } from "../../entities/Ticket.js";
import type { HourBucket, QueueMetrics } from "../../shared-types/console-payloads.js";
import { isoOrNull } from "./format.js";

/** Callers who hang up sooner than this in the queue are "short abandons" (SPEC §5). */
export const SHORT_ABANDON_SECONDS = 5;
/** Service-level threshold: answered within this many seconds (SPEC §5). */
export const SERVICE_LEVEL_SECONDS = 30;

export type MetricsCall = Pick<Call, "language" | "createdAt" | "queuedAt" | "acceptedByAgentId" | "answeredAt" | "endedAt" | "waitSeconds" | "durationSeconds" | "outcome">;
export type MetricsAgent = Pick<Agent, "languages" | "status">;
export type MetricsTicket = Pick<Ticket, "contactType" | "language">;

const seconds = (from: Date | null, to: Date | null) => (from && to ? Math.max(0, Math.round((new Date(to).getTime() - new Date(from).getTime()) / 1000)) : null);

/** How one of today's calls counts in the figures. */
export function classifyCall(call: MetricsCall): { offered: boolean; answered: boolean; abandoned: boolean; shortAbandon: boolean; waitSeconds: number | null; handleSeconds: number | null } {
  const answered = call.acceptedByAgentId !== null || call.outcome === "answered";
  const offered = call.queuedAt !== null || answered;
  const waitSeconds =
    call.waitSeconds ??
    (call.queuedAt === null ? (answered ? 0 : null) : seconds(call.queuedAt, answered ? call.answeredAt : call.endedAt));
  const hungUp = !answered && offered && call.outcome === "abandoned";
  const shortAbandon = hungUp && (waitSeconds ?? 0) < SHORT_ABANDON_SECONDS;
  return {
    offered,
    answered,
    abandoned: hungUp && !shortAbandon,
    shortAbandon,
    waitSeconds,
    handleSeconds: answered ? seconds(call.answeredAt, call.endedAt) : null,
  };
}

const average = (values: number[]) => (values.length === 0 ? null : Math.round(values.reduce((sum, value) => sum + value, 0) / values.length));

/** SPEC §5 figures of one queue from today's calls, the calls waiting now, the agents and today's tickets. */
export function queueMetrics(
  language: Language | "all",
  input: { calls: MetricsCall[]; waiting: Pick<Call, "queuedAt" | "createdAt">[]; agents: MetricsAgent[]; tickets: MetricsTicket[] },
): QueueMetrics {
  const agents = Object.fromEntries(AGENT_STATUSES.map((status) => [status, 0])) as Record<AgentStatus, number>;
  for (const agent of input.agents) agents[agent.status] = (agents[agent.status] ?? 0) + 1;
  const ticketsByType = Object.fromEntries(CONTACT_TYPES.map((type) => [type, 0])) as Record<ContactType, number>;
  for (const ticket of input.tickets) ticketsByType[ticket.contactType] = (ticketsByType[ticket.contactType] ?? 0) + 1;

  let offered = 0, answered = 0, abandoned = 0, shortAbandoned = 0, withinTarget = 0;
  const waits: number[] = [];
  const handles: number[] = [];
  for (const call of input.calls) {
    const verdict = classifyCall(call);
    if (!verdict.offered) continue;
    offered++;
    if (verdict.answered) {
      answered++;
      if (verdict.waitSeconds !== null) waits.push(verdict.waitSeconds);
      if ((verdict.waitSeconds ?? 0) <= SERVICE_LEVEL_SECONDS) withinTarget++;
      if (verdict.handleSeconds !== null) handles.push(verdict.handleSeconds);
    }
    if (verdict.abandoned) abandoned++;
    if (verdict.shortAbandon) shortAbandoned++;
  }
  const oldest = input.waiting.reduce<Date | null>((min, call) => {
    const since = new Date(call.queuedAt ?? call.createdAt);
    return !min || since < min ? since : min;
  }, null);
  return {
    language,
    waiting: input.waiting.length,
    longestWaitingSince: isoOrNull(oldest),
    agents,
    offered,
    answered,
    abandoned,
    shortAbandoned,
    serviceLevel: answered + abandoned === 0 ? null : withinTarget / (answered + abandoned),
    averageWaitSeconds: average(waits),
    averageHandleSeconds: average(handles),
    ticketsByType,
  };
}

/** Per-language queues and the total; agents count in every queue of a language they speak. */
export function queuesMetrics(input: {
  calls: MetricsCall[];
  waiting: (Pick<Call, "queuedAt" | "createdAt" | "language">)[];
  agents: MetricsAgent[];
  tickets: MetricsTicket[];
}): { total: QueueMetrics; queues: QueueMetrics[] } {
  return {
    total: queueMetrics("all", input),
    queues: LANGUAGES.map((language) =>
      queueMetrics(language, {
        calls: input.calls.filter((call) => call.language === language),
        waiting: input.waiting.filter((call) => call.language === language),
        agents: input.agents.filter((agent) => (agent.languages ?? []).includes(language)),
        tickets: input.tickets.filter((ticket) => ticket.language === language),
      }),
    ),
  };
}

/** Today's calls per hour of the day in `timeZone` (offered, answered, abandoned after 5 s). */
export function callsPerHour(calls: MetricsCall[], timeZone: string): HourBucket[] {
  const buckets: HourBucket[] = Array.from({ length: 24 }, (_, hour) => ({ hour, offered: 0, answered: 0, abandoned: 0 }));
  for (const call of calls) {
    const verdict = classifyCall(call);
    if (!verdict.offered) continue;
    const hour = DateTime.fromJSDate(new Date(call.createdAt), { zone: timeZone }).hour;
    const bucket = buckets[hour]!;
    bucket.offered++;
    if (verdict.answered) bucket.answered++;
    if (verdict.abandoned) bucket.abandoned++;
  }
  return buckets;
}
