import type { EntityManager } from "typeorm";
import { Agent } from "../../entities/Agent.js";
import type { Language } from "../../entities/enums.js";

/**
 * R8: agents a callback in this language is offered to: the available ones who speak it, or every
 * available agent when none does (the caller is not left waiting for a language nobody covers).
 */
export async function agentsForCallback(manager: EntityManager, language: Language): Promise<Pick<Agent, "id" | "name" | "languages">[]> {
  const available = await manager.getRepository(Agent).find({ where: { status: "available", active: true }, select: { id: true, name: true, languages: true } });
  const speakers = available.filter((agent) => agent.languages?.includes(language));
  return speakers.length > 0 ? speakers : available;
}
