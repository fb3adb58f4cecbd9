import type { Agent } from "../../entities/Agent.js";
import type { AgentPayload, AgentRef } from "../../shared-types/console-payloads.js";
import { isoOrNull } from "./format.js";

/** A desk account for the console and the supervisor view; never the password hash. */
export function presentAgent(agent: Agent): AgentPayload {
  return {
    id: agent.id,
    name: agent.name,
    email: agent.email,
    role: agent.role,
    languages: agent.languages ?? [],
    status: agent.status,
    statusChangedAt: isoOrNull(agent.statusChangedAt),
    uiLanguage: agent.uiLanguage,
  };
}

/** Just who: id and name (who took a call, who is assigned). */
export function presentAgentRef(agent: Pick<Agent, "id" | "name"> | null | undefined): AgentRef | null {
  return agent ? { id: agent.id, name: agent.name } : null;
}
