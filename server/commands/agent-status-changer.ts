import { z } from "zod";
import { Agent } from "../../entities/Agent.js";
import { AGENT_STATUSES, type AgentStatus } from "../../entities/enums.js";
import { notFound } from "../errors/http-error.js";
import { validate } from "../errors/validation.js";
import type { OutboxRecorder } from "../events/outbox.js";
import { inTransaction, type CommandContext } from "./transaction.js";

export interface AgentStatusChangerProps {
  agentId: number;
  status: AgentStatus;
  /** Why, when the system changed it (disconnected, logout); shown nowhere yet, logged with the event. */
  reason?: string;
  now?: Date;
}

const schema = z.object({ status: z.enum(AGENT_STATUSES) });

/**
 * Sets an agent's status inside a running transaction and announces it (`agent.status`); no event when
 * nothing changes. For commands that change the status as part of something else (accepting a call).
 */
export async function changeAgentStatusInTransaction(tx: OutboxRecorder, agentId: number, status: AgentStatus, now = new Date()): Promise<Agent> {
  const agents = tx.manager.getRepository(Agent);
  const agent = await agents.findOneBy({ id: agentId, active: true });
  if (!agent) throw notFound("Agent");
  if (agent.status === status) return agent;
  await agents.update({ id: agent.id }, { status, statusChangedAt: now });
  Object.assign(agent, { status, statusChangedAt: now });
  await tx.record("agent.status", { agentId: agent.id });
  return agent;
}

/** Changes an agent's status (available, on call, wrap-up, away, offline); calls are offered to available agents only. */
export async function agentStatusChanger(context: CommandContext, props: AgentStatusChangerProps): Promise<Agent> {
  const { status } = validate(schema, { status: props.status });
  return inTransaction(context, (tx) => changeAgentStatusInTransaction(tx, props.agentId, status, props.now));
}
