import { Agent } from "../../entities/Agent.js";
import type { UiLanguage } from "../../entities/enums.js";
import { notFound } from "../errors/http-error.js";
import type { CommandContext } from "./transaction.js";

/** Sets the language an agent's console speaks; returns the account as stored. */
export async function agentLanguageSetter(context: CommandContext, props: { agentId: number; uiLanguage: UiLanguage }): Promise<Agent> {
  const agents = context.dataSource.getRepository(Agent);
  const agent = await agents.findOneBy({ id: props.agentId });
  if (!agent) throw notFound("Agent");
  await agents.update({ id: agent.id }, { uiLanguage: props.uiLanguage });
  return Object.assign(agent, { uiLanguage: props.uiLanguage });
}
