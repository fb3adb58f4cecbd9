import { io, type Socket } from "socket.io-client";
import type { ClientToServerEvents, ServerToClientEvents } from "../../../shared-types/socket-events.js";

/** The console's typed Socket.IO connection (same origin; the session cookie authenticates the handshake). */
export type ConsoleSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Opens the console socket; it reconnects by itself and the server re-sends what the newcomer needs. */
export function openSocket(): ConsoleSocket {
  return io({ withCredentials: true, transports: ["websocket", "polling"] });
}
