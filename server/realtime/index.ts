import type { Server as HttpServer } from "node:http";
import { createAdapter } from "@socket.io/redis-adapter";
import { Server } from "socket.io";
import type { AppContext } from "../context.js";
import type { OutboxProcessor } from "../events/publisher.js";
import { handshakeOriginAllowed } from "../security/desk-origin.js";
import { adapterRedis, onResubscribed, whileRedisUp } from "./adapter-redis.js";
import { authenticateSockets } from "./auth.js";
import { handleConnections } from "./connection.js";
import { realtimeHandlers } from "./handlers/index.js";
import { SupervisorMetricsPusher } from "./metrics-pusher.js";
import { AgentPresence } from "./presence.js";
import { realtimeProcessor } from "./processor.js";
import { ScreenPopService } from "./screen-pops.js";
import { SocketSessionCheck } from "./session-check.js";
import { relaySoftphoneRings } from "./softphone.js";
import type { RealtimeServer } from "./types.js";

export interface RealtimeOptions {
  /** How long an agent may be without a connected console before being set offline; default 15 s. */
  presenceGraceMs?: number;
  /** How often the sessions of connected consoles are checked again (logout, expiry, deactivation, role); default 10 s. */
  sessionCheckMs?: number;
}

/**
 * Socket.IO on the HTTP server, fanned out across instances through Redis: authenticated handshakes, rooms,
 * and the outbox processor that turns committed events into socket messages (handlers/).
 */
export function attachRealtime(
  httpServer: HttpServer,
  context: AppContext,
  options: RealtimeOptions = {},
): { io: RealtimeServer; pops: ScreenPopService; processor: OutboxProcessor; checkSessions(): Promise<void>; close(): Promise<void> } {
  const { pub, sub } = adapterRedis(context.redisUrl, context.env.REDIS_PREFIX);
  const io: RealtimeServer = new Server(httpServer, {
    adapter: createAdapter(pub, sub, { key: `${context.env.REDIS_PREFIX}:socket.io` }),
    serveClient: false,
    // context.baseUrl is read per handshake: tests (and a runtime behind a changed proxy) set it after start.
    allowRequest: (request, callback) => {
      const allowed = handshakeOriginAllowed(request, context.baseUrl);
      callback(allowed ? null : "origin not allowed", allowed);
    },
  });
  const pops = new ScreenPopService(io, context);
  const metrics = new SupervisorMetricsPusher(io, context);
  const presence = new AgentPresence(io, context, options.presenceGraceMs ?? 15_000);

  const sessions = new SocketSessionCheck(io, context, options.sessionCheckMs ?? 10_000);

  authenticateSockets(io, context);
  handleConnections(io, context, pops, presence);
  const softphones = relaySoftphoneRings(io, context);
  // What other instances pushed while this one's subscriber was reconnecting is lost: the waiting calls' pops go
  // out again (each built once, to its targets), this instance's consoles are asked to check the pops they show for
  // closes they missed and to take their callback offers again, and its supervisors get fresh figures.
  onResubscribed(sub, () => {
    context.logger.info({ consoles: io.of("/").sockets.size }, "Redis subscriber back: bringing this instance's consoles up to date");
    io.local.emit("console:recheck");
    metrics.refreshLocal();
    pops.refreshAll(new Date(), { targetsOnly: false }).catch((error) => context.logger.warn({ err: error }, "re-offering the waiting calls after a Redis reconnect failed"));
  });
  return {
    io,
    pops,
    processor: whileRedisUp(realtimeProcessor({ io, context, pops, metrics }, realtimeHandlers), pub),
    checkSessions: () => sessions.check(),
    async close() {
      await sessions.stop();
      presence.stop();
      softphones.close();
      await metrics.stop();
      await io.close();
      pub.disconnect();
      sub.disconnect();
    },
  };
}
