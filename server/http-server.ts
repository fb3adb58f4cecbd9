import http from "node:http";
import type { AddressInfo } from "node:net";
import { createApp } from "./app.js";
import type { AppContext } from "./context.js";
import { jobsProcessor, startWorkers } from "./jobs/index.js";
import { attachRealtime } from "./realtime/index.js";

export interface RunningServer {
  port: number;
  url: string;
  http: http.Server;
  realtime: ReturnType<typeof attachRealtime>;
  /** Graceful stop: no new connections, in-flight requests finish, sockets and workers close. */
  close(): Promise<void>;
}

/** Starts HTTP + Socket.IO, the outbox processors and drainer, and (when asked) the BullMQ workers. */
export async function startServer(context: AppContext, options: { port?: number; workers?: boolean } = {}): Promise<RunningServer> {
  const app = createApp(context);
  const server = http.createServer(app);
  server.keepAliveTimeout = 65_000;
  const realtime = attachRealtime(server, context);
  context.publisher.register(realtime.processor);
  context.publisher.register(jobsProcessor(context));
  context.publisher.startDraining();
  const workers = (options.workers ?? context.env.RUN_WORKERS) ? await startWorkers(context) : null;

  await new Promise<void>((resolve) => server.listen(options.port ?? context.env.PORT, resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    http: server,
    realtime,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await realtime.close();
      await workers?.close();
      await context.publisher.stop();
      await closed;
    },
  };
}
