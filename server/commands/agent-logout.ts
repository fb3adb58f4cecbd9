import { agentForToken, closeSession } from "../auth/sessions.js";
import { changeAgentStatusInTransaction } from "./agent-status-changer.js";
import { inTransaction, type CommandContext } from "./transaction.js";

/** Ends a console session: its row goes and its agent goes offline (no more calls offered), together. */
export async function agentLogout(context: CommandContext, props: { token: string | undefined }): Promise<void> {
  if (!props.token) return;
  const agent = await agentForToken(context.dataSource, props.token);
  await inTransaction(context, async (tx) => {
    await closeSession(tx.manager, props.token);
    if (agent && agent.status !== "offline") await changeAgentStatusInTransaction(tx, agent.id, "offline");
  });
}
