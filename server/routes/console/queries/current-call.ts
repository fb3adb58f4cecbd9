import { IsNull, MoreThan, type DataSource } from "typeorm";
import { Call } from "../../../../entities/Call.js";

/** A call accepted longer ago than this is not "current" any more, even if its end was never reported. */
const CURRENT_CALL_MAX_AGE_MS = 6 * 3600_000;

/** The call an agent is on now (accepted, not ended, recent), with the agent, or null. */
export function currentCallOf(dataSource: DataSource, agentId: number, now = new Date()): Promise<Call | null> {
  return dataSource.getRepository(Call).findOne({
    where: { acceptedByAgentId: agentId, endedAt: IsNull(), createdAt: MoreThan(new Date(now.getTime() - CURRENT_CALL_MAX_AGE_MS)) },
    relations: { acceptedByAgent: true },
    order: { createdAt: "DESC", id: "DESC" },
  });
}
