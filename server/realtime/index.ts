import type { Server as HttpServer } from "node:http";
import { createAdapter } from "@socket.io/redis-adapter";
import { Server } from "socket.io";
import type { AppContext } from "../context.js";
import type { OutboxProcessor } from "../events/publisher.js";
import { createRedis } from "../redis/connection.js";

/** Socket.IO on the HTTP server, fanned out across instances through Redis. Filled by the agent console issue. */
export function attachRealtime(httpServer: HttpServer, context: AppContext): { io: Server; processor: OutboxProcessor; close(): Promise<void> } {
  const pub = createRedis(context.redisUrl);
  const sub = pub.duplicate();
  const io = new Server(httpServer, { adapter: createAdapter(pub, sub, { key: `${context.env.REDIS_PREFIX}:socket.io` }) });
  return {
    io,
    processor: { name: "realtime", topics: [], handle: async () => undefined },
    async close() {
      await io.close();
      pub.disconnect();
      sub.disconnect();
    },
  };
}
