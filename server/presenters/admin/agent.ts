import { z } from "zod";
import type { Agent } from "../../../entities/Agent.js";
import { AGENT_ROLES, AGENT_STATUSES, LANGUAGES, UI_LANGUAGES } from "../../../entities/enums.js";
import { timestamp } from "./common.js";
import { iso } from "../format.js";

export const agentPayload = z.object({
  id: z.number().int(),
  email: z.string(),
  name: z.string(),
  role: z.enum(AGENT_ROLES),
  languages: z.array(z.enum(LANGUAGES)),
  uiLanguage: z.enum(UI_LANGUAGES),
  phoneNumber: z.string().nullable(),
  status: z.enum(AGENT_STATUSES),
  active: z.boolean(),
  createdAt: timestamp,
  updatedAt: timestamp,
});
export type AgentPayload = z.infer<typeof agentPayload>;

/** A desk account; the password hash is never part of it. */
export function presentAgent(agent: Agent): AgentPayload {
  return {
    id: agent.id,
    email: agent.email,
    name: agent.name,
    role: agent.role,
    languages: agent.languages ?? [],
    uiLanguage: agent.uiLanguage,
    phoneNumber: agent.phoneNumber,
    status: agent.status,
    active: Boolean(agent.active),
    createdAt: iso(agent.createdAt),
    updatedAt: iso(agent.updatedAt),
  };
}
