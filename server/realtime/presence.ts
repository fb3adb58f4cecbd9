import { Agent } from "../../entities/Agent.js";
import { agentStatusChanger } from "../commands/agent-status-changer.js";
import type { AppContext } from "../context.js";
import { agentRoom, type RealtimeServer } from "./types.js";

/**
 * Sets an agent offline once their last console tab is gone (closed browser, lost network), so calls are
 * not offered to nobody. A grace period lets a reload or a short network drop pass unnoticed. An agent
 * on a call keeps that status: the call itself goes on.
 */
export class AgentPresence {
  private readonly timers = new Map<number, NodeJS.Timeout>();
  private stopped = false;

  constructor(private readonly io: RealtimeServer, private readonly context: AppContext, private readonly graceMs: number) {}

  connected(agentId: number): void {
    clearTimeout(this.timers.get(agentId));
    this.timers.delete(agentId);
  }

  disconnected(agentId: number): void {
    if (this.stopped) return;
    clearTimeout(this.timers.get(agentId));
    const timer = setTimeout(() => {
      this.timers.delete(agentId);
      this.checkGone(agentId).catch((error) => this.context.logger.warn({ err: error, agentId }, "presence check failed"));
    }, this.graceMs);
    timer.unref();
    this.timers.set(agentId, timer);
  }

  private async checkGone(agentId: number): Promise<void> {
    if (this.stopped) return;
    // Across instances: the Redis adapter asks the other servers too.
    const sockets = await this.io.in(agentRoom(agentId)).fetchSockets();
    if (sockets.length > 0 || this.stopped) return;
    const agent = await this.context.dataSource.getRepository(Agent).findOneBy({ id: agentId });
    if (!agent || agent.status === "offline" || agent.status === "on_call") return;
    await agentStatusChanger(this.context, { agentId, status: "offline", reason: "disconnected" });
  }

  stop(): void {
    this.stopped = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
