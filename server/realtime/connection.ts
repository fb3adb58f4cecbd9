import type { SocketData } from "../../shared-types/socket-events.js";
import type { AppContext } from "../context.js";
import type { AgentPresence } from "./presence.js";
import type { ScreenPopService } from "./screen-pops.js";
import { loadSupervisorMetrics } from "./supervisor-metrics.js";
import { agentRoom, languageRoom, SUPERVISORS_ROOM, type RealtimeServer, type RealtimeSocket } from "./types.js";

const isSupervisor = (socket: RealtimeSocket) => socket.data.role === "supervisor" || socket.data.role === "admin";

/** The rooms a console belongs in: its agent, the languages it speaks, supervisors for supervisor and admin accounts. */
export function roomsOf(data: SocketData): string[] {
  return [agentRoom(data.agentId), ...data.languages.map(languageRoom), ...(data.role === "supervisor" || data.role === "admin" ? [SUPERVISORS_ROOM] : [])];
}

/**
 * After authentication: join the rooms once, answer sync requests, and bring the newcomer up to date at once
 * (the pops of calls already waiting, the supervisor figures).
 */
export function handleConnections(io: RealtimeServer, context: AppContext, pops: ScreenPopService, presence: AgentPresence): void {
  io.on("connection", (socket) => {
    const { agentId } = socket.data;
    void socket.join(roomsOf(socket.data));
    presence.connected(agentId);

    socket.on("screenpop:sync", (ack) => {
      if (typeof ack !== "function") return;
      pops.popsFor(agentId).then(ack, (error) => {
        context.logger.warn({ err: error, agentId }, "screen-pop sync failed");
        ack([]);
      });
    });
    socket.on("supervisor:sync", (ack) => {
      if (typeof ack !== "function") return;
      if (!isSupervisor(socket)) return ack(null);
      loadSupervisorMetrics(context).then(ack, (error) => {
        context.logger.warn({ err: error }, "supervisor sync failed");
        ack(null);
      });
    });
    socket.on("disconnect", () => presence.disconnected(agentId));

    void (async () => {
      for (const pop of await pops.popsFor(agentId)) socket.emit("screenpop:show", pop);
      if (isSupervisor(socket)) socket.emit("supervisor:metrics", await loadSupervisorMetrics(context));
    })().catch((error) => context.logger.warn({ err: error, agentId }, "initial push to a new socket failed"));
  });
}
