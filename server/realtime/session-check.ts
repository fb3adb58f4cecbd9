import { agentsForTokens, readCookie, SESSION_COOKIE } from "../auth/sessions.js";
import type { AppContext } from "../context.js";
import { socketDataOf } from "./auth.js";
import { roomsOf } from "./connection.js";
import type { RealtimeServer, RealtimeSocket } from "./types.js";

/**
 * The handshake checks the session once; this keeps checking it while the socket lives. A console whose session
 * was closed (logout, new password), expired, or whose account was deactivated or deleted is disconnected: it
 * would otherwise go on receiving screen-pops with callers' data. A changed role, languages or name move the
 * socket to its new rooms in place (a demoted supervisor stops getting the live figures), without a reconnect.
 * Each instance checks its own sockets, one query per round.
 */
export class SocketSessionCheck {
  private readonly timer: NodeJS.Timeout;
  private running: Promise<void> | null = null;

  constructor(private readonly io: RealtimeServer, private readonly context: AppContext, intervalMs: number) {
    this.timer = setInterval(() => {
      this.check().catch((error) => context.logger.warn({ err: error }, "socket session check failed; will retry"));
    }, intervalMs);
    this.timer.unref();
  }

  /** Checks every socket of this instance now (a round already running is joined, not doubled). */
  check(): Promise<void> {
    this.running ??= this.round().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  private async round(): Promise<void> {
    const sockets = [...this.io.of("/").sockets.values()] as RealtimeSocket[];
    if (sockets.length === 0) return;
    const tokens = sockets.map((socket) => readCookie(socket.handshake.headers.cookie, SESSION_COOKIE) ?? "");
    const agents = await agentsForTokens(this.context.dataSource, [...new Set(tokens.filter(Boolean))]);
    sockets.forEach((socket, index) => {
      const agent = agents.get(tokens[index]!);
      if (!agent || agent.id !== socket.data.agentId) {
        this.context.logger.info({ agentId: socket.data.agentId }, "console socket disconnected: its session ended");
        socket.disconnect(true);
        return;
      }
      const fresh = socketDataOf(agent);
      const data = socket.data;
      if (fresh.name === data.name && fresh.role === data.role && fresh.languages.join() === data.languages.join()) return;
      const before = roomsOf(socket.data);
      const after = roomsOf(fresh);
      socket.data = fresh;
      for (const room of before) if (!after.includes(room)) void socket.leave(room);
      void socket.join(after);
    });
  }
}
