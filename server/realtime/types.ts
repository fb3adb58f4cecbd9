import type { Server, Socket } from "socket.io";
import type { ClientToServerEvents, ServerToClientEvents, SocketData } from "../../shared-types/socket-events.js";
import type { AppContext } from "../context.js";
import type { OutboxEnvelope, Topic } from "../events/topics.js";
import type { SupervisorMetricsPusher } from "./metrics-pusher.js";
import type { ScreenPopService } from "./screen-pops.js";

/** Between the app instances (through the Redis adapter's serverSideEmit). */
export interface InterServerEvents {
  /** Something that moves the supervisor figures was committed on one instance: each recomputes for its own supervisors. */
  "supervisor-metrics:changed": () => void;
}

/** The Socket.IO server with the shared event maps. */
export type RealtimeServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type RealtimeSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

/** What a realtime handler may use to turn a committed event into socket messages. */
export interface Realtime {
  io: RealtimeServer;
  context: AppContext;
  pops: ScreenPopService;
  metrics: SupervisorMetricsPusher;
}

/** An outbox message of one of the topics T, discriminated by topic (so a switch narrows the payload). */
export type EnvelopeOf<T extends Topic> = T extends Topic ? OutboxEnvelope<T> : never;

/**
 * One concern of the realtime push: the outbox topics it reacts to and what it emits. Handlers run after
 * commit and may, rarely, run twice for one message (a relay that stalled past its lease), so they must only emit, idempotently.
 */
export interface RealtimeHandler<T extends Topic = Topic> {
  name: string;
  topics: readonly T[];
  handle(message: EnvelopeOf<T>, realtime: Realtime): Promise<void>;
}

/** Declares a handler with its payload typed by its topics. */
export function defineHandler<T extends Topic>(handler: RealtimeHandler<T>): RealtimeHandler {
  return handler as unknown as RealtimeHandler;
}

/** Room of one agent (all their tabs). */
export const agentRoom = (agentId: number) => `agent:${agentId}`;
/** Room of the speakers of one language. */
export const languageRoom = (language: string) => `lang:${language}`;
/** Room of the consoles showing one ticket (they asked with `ticket:watch`). */
export const ticketRoom = (ticketId: number) => `ticket:${ticketId}`;
/** Room of supervisors and administrators. */
export const SUPERVISORS_ROOM = "supervisors";
