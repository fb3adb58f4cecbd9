import type { EntityManager } from "typeorm";
import { Agent } from "../../entities/Agent.js";

/** The desk accounts that may be offered a call or a callback now. */
export function availableAgents(manager: EntityManager): Promise<Pick<Agent, "id" | "name" | "languages">[]> {
  return manager.getRepository(Agent).find({ where: { status: "available", active: true }, select: { id: true, name: true, languages: true } });
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
