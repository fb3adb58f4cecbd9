import type { EntityManager } from "typeorm";
import { Agent } from "../../entities/Agent.js";
import { leanColumns, leanHydrate, leanParam, leanTable } from "../db/lean.js";
import { readOne, type Read } from "../db/reads.js";

const OFFER_COLUMNS = ["id", "name", "languages"] as const;

type OfferCandidate = Pick<Agent, "id" | "name" | "languages">;

/** The desk accounts that may be offered a call or a callback now (read for every pop: plain SQL). */
export function availableAgentsRead(manager: EntityManager): Read<OfferCandidate[]> {
  return {
    sql: `SELECT ${leanColumns(manager, Agent, "a", OFFER_COLUMNS)} FROM ${leanTable(manager, Agent)} a WHERE a.status = ? AND a.active = ?`,
    params: ["available", leanParam(manager, Agent, "active", true)],
    shape: (rows) => rows.map((row) => leanHydrate(manager, Agent, "a", row, OFFER_COLUMNS)!),
  };
}

export function availableAgents(manager: EntityManager): Promise<OfferCandidate[]> {
  return readOne(manager, availableAgentsRead(manager));
}

/** Statuses of an agent at work on calls: they will take a waiting call soon (away and offline do not). */
const ON_DUTY = ["available", "on_call", "wrap_up"] as const;

/**
 * How many agents on duty speak `language` (all on duty when the language is not known yet): what an honest wait
 * estimate is based on. Languages are a JSON column, so they are matched here rather than in SQL.
 */
export async function speakersOnDuty(manager: EntityManager, language: string | null): Promise<number> {
  const onDuty: Pick<Agent, "languages">[] = await readOne(manager, {
    sql: `SELECT ${leanColumns(manager, Agent, "a", ["id", "languages"] as const)} FROM ${leanTable(manager, Agent)} a WHERE a.status IN (?, ?, ?) AND a.active = ?`,
    params: [...ON_DUTY, leanParam(manager, Agent, "active", true)],
    shape: (rows) => rows.map((row) => leanHydrate(manager, Agent, "a", row, ["id", "languages"] as const)!),
  });
  return language ? onDuty.filter((agent) => (agent.languages ?? []).includes(language as never)).length : onDuty.length;
}

/**
 * R8: who a caller waiting in `language` is offered to: the available agents who speak it, or every available
 * agent when none does (`fallback`: the caller is not left waiting for a language nobody covers). A caller
 * whose language is not known yet goes to everyone available.
 */
export function offerTargets<A extends Pick<Agent, "languages">>(language: string | null, available: A[]): { agents: A[]; offer: "language" | "fallback" } {
  if (!language) return { agents: available, offer: "language" };
  const speakers = available.filter((agent) => (agent.languages ?? []).includes(language as never));
  return speakers.length > 0 ? { agents: speakers, offer: "language" } : { agents: available, offer: "fallback" };
}
