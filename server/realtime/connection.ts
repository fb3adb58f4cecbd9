import { z } from "zod";
import type { ScreenPopCheckAnswer, SocketData, TicketWatchAnswer } from "../../shared-types/socket-events.js";
import type { AppContext } from "../context.js";
import { callbackOffersFor } from "./handlers/callbacks.js";
import type { AgentPresence } from "./presence.js";
import type { ScreenPopService } from "./screen-pops.js";
import { handleSoftphoneEvents } from "./softphone.js";
import { loadSupervisorMetrics } from "./supervisor-metrics.js";
import { agentRoom, languageRoom, SUPERVISORS_ROOM, ticketRoom, type RealtimeServer, type RealtimeSocket } from "./types.js";

/** A console shows a ticket view and a list of at most a few dozen: more watched tickets than this is refused. */
const MAX_WATCHED_TICKETS = 200;
const ticketIdsSchema = z.array(z.number().int().positive()).max(MAX_WATCHED_TICKETS);
const TICKET_ROOM_PREFIX = ticketRoom(0).slice(0, -1);
/** More pops than a console could show at once. */
const MAX_CHECKED_POPS = 200;
const callIdsSchema = z.array(z.number().int().positive()).max(MAX_CHECKED_POPS);

/** Splits `(ids, ack?)` as sent, tolerating a missing or malformed list (the ack may come first). */
function idsAndAck<A>(args: unknown[], schema: z.ZodType<number[]>): { ids: number[] | null; ack: ((answer: A) => void) | null } {
  const ack = typeof args.at(-1) === "function" ? (args.pop() as (answer: A) => void) : null;
  const parsed = schema.safeParse(args[0]);
  return { ids: parsed.success ? parsed.data : null, ack };
}

/** Joins or leaves the rooms of the given tickets, within the limit per socket. */
function changeWatch(socket: RealtimeSocket, args: unknown[], watch: boolean): void {
  const { ids, ack } = idsAndAck<TicketWatchAnswer>(args, ticketIdsSchema);
  if (!ids) return ack?.({ error: `ticketIds must be a list of at most ${MAX_WATCHED_TICKETS} ticket ids` });
  const watched = () => [...socket.rooms].filter((room) => room.startsWith(TICKET_ROOM_PREFIX)).length;
  if (watch) {
    const rooms = ids.map(ticketRoom).filter((room) => !socket.rooms.has(room));
    if (watched() + rooms.length > MAX_WATCHED_TICKETS) return ack?.({ error: `a console may watch at most ${MAX_WATCHED_TICKETS} tickets` });
    void socket.join(rooms);
  } else {
    for (const id of ids) void socket.leave(ticketRoom(id));
  }
  ack?.({ watching: watched() });
}

const seesSupervisorView = (data: SocketData) => data.role === "supervisor" || data.role === "admin";
const isSupervisor = (socket: RealtimeSocket) => seesSupervisorView(socket.data);

/** The rooms a console belongs in: its agent, the languages it speaks, supervisors for supervisor and admin accounts. */
export function roomsOf(data: SocketData): string[] {
  return [agentRoom(data.agentId), ...data.languages.map(languageRoom), ...(seesSupervisorView(data) ? [SUPERVISORS_ROOM] : [])];
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
    // Typed loosely on purpose, as ticket:watch below.
    socket.on("screenpop:check", (...args: unknown[]) => {
      const { ids, ack } = idsAndAck<ScreenPopCheckAnswer>(args, callIdsSchema);
      if (!ack) return;
      if (!ids) return ack({ error: `callIds must be a list of at most ${MAX_CHECKED_POPS} call ids` });
      pops.gone(ids).then(
        (gone) => ack({ gone }),
        (error) => {
          context.logger.warn({ err: error, agentId }, "screen-pop check failed");
          ack({ gone: [] });
        },
      );
    });
    socket.on("callback:sync", (ack) => {
      if (typeof ack !== "function") return;
      callbackOffersFor(context.dataSource.manager, agentId).then(
        (offers) => ack({ offers }),
        (error) => {
          context.logger.warn({ err: error, agentId }, "callback sync failed");
          // Not an empty list: the console would take it as the truth and drop the offers it shows.
          ack({ error: "the callbacks could not be read; try again" });
        },
      );
    });
    socket.on("supervisor:sync", (ack) => {
      if (typeof ack !== "function") return;
      if (!isSupervisor(socket)) return ack(null);
      loadSupervisorMetrics(context).then(ack, (error) => {
        context.logger.warn({ err: error }, "supervisor sync failed");
        ack(null);
      });
    });
    // Typed loosely on purpose: what arrives is whatever a client sent, checked in changeWatch.
    socket.on("ticket:watch", (...args: unknown[]) => changeWatch(socket, args, true));
    socket.on("ticket:unwatch", (...args: unknown[]) => changeWatch(socket, args, false));
    socket.on("disconnect", () => presence.disconnected(agentId));
    handleSoftphoneEvents(socket, context);

    void (async () => {
      for (const pop of await pops.popsFor(agentId)) socket.emit("screenpop:show", pop);
      if (isSupervisor(socket)) socket.emit("supervisor:metrics", await loadSupervisorMetrics(context));
    })().catch((error) => context.logger.warn({ err: error, agentId }, "initial push to a new socket failed"));
  });
}
