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
