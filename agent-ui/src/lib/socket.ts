import { io, type Socket } from "socket.io-client";
import type { ClientToServerEvents, ServerToClientEvents } from "../../../shared-types/socket-events.js";

/** The console's typed Socket.IO connection (same origin; the session cookie authenticates the handshake). */
export type ConsoleSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Longest wait between two reconnection attempts: a restarted server is found again within about this time. */
export const RECONNECT_DELAY_MAX_MS = 10_000;
const RECONNECT_DELAY_MS = 500;

/** Exponential back-off (0.5 s, 1 s, 2 s … capped at 10 s) with some jitter, so consoles do not all return at once. */
export function reconnectDelay(attempt: number): number {
  const base = Math.min(RECONNECT_DELAY_MAX_MS, RECONNECT_DELAY_MS * 2 ** Math.min(attempt, 10));
  return Math.round(base * (0.8 + Math.random() * 0.2));
}

/**
 * Creates the console socket (the caller connects it); once connected it reconnects by itself after a lost transport (same back-off as reconnectDelay) and the
 * server re-sends what the newcomer needs. A refused handshake is retried by the console (live.tsx).
 */
export function openSocket(): ConsoleSocket {
  return io({
    // Connected by the console once its listeners are attached: a handshake that completes before them (a fast
    // local server, an effect run late by a busy page) would otherwise lose the first "connect" and its sync.
    autoConnect: false,
    withCredentials: true,
    transports: ["websocket", "polling"],
    reconnectionDelay: RECONNECT_DELAY_MS,
    reconnectionDelayMax: RECONNECT_DELAY_MAX_MS,
    randomizationFactor: 0.2,
  });
}
