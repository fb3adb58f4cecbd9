import http from "node:http";
import net from "node:net";
import type { AddressInfo } from "node:net";
import { createApp } from "./app.js";
import type { AppContext } from "./context.js";
import { jobsProcessor, startWorkers } from "./jobs/index.js";
import type { QueueName } from "./jobs/queues.js";
import { attachRealtime } from "./realtime/index.js";

/** How long a graceful stop waits for requests in flight before cutting their connections. */
export const SHUTDOWN_GRACE_MS = 10_000;
/** How often a stopping server closes the keep-alive connections that became idle. */
const IDLE_SWEEP_MS = 50;

export interface RunningServer {
  port: number;
  url: string;
  http: http.Server;
  realtime: ReturnType<typeof attachRealtime>;
  /** Graceful stop: no new connections, in-flight requests finish (up to `graceMs`, default 10 s), sockets and workers close. */
  close(graceMs?: number): Promise<void>;
}

/** Starts HTTP + Socket.IO, the outbox processors and relay, and (when asked) the BullMQ workers (all, or those of some queues). */
export async function startServer(context: AppContext, options: { port?: number; workers?: boolean | readonly QueueName[] } = {}): Promise<RunningServer> {
  const app = createApp(context);
  const server = http.createServer(app);
  server.keepAliveTimeout = 65_000;
  const realtime = attachRealtime(server, context);
  context.publisher.register(realtime.processor);
  context.publisher.register(jobsProcessor(context));
  context.publisher.startDraining();
  const runWorkers = options.workers ?? context.env.RUN_WORKERS;
  const workers = runWorkers ? await startWorkers(context, Array.isArray(runWorkers) ? { queues: runWorkers } : {}) : null;

  await new Promise<void>((resolve) => server.listen(options.port ?? context.env.PORT, resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    http: server,
    realtime,
    async close(graceMs = SHUTDOWN_GRACE_MS) {
      // Connections already waiting to be accepted (a busy turn of the event loop may not have taken them yet) are
      // in flight too: let this turn accept them before the listener closes, or closing would reset them.
      await new Promise<void>((resolve) => setImmediate(resolve));
      // Stop accepting, but not with http.Server#close(): that also drops every idle keep-alive connection on the
      // spot, including one whose request is already on the wire but not read yet (Twilio would get a reset).
      const closed = new Promise<void>((resolve) => net.Server.prototype.close.call(server, () => resolve()));
      context.logger.info("stopped accepting connections; finishing the requests in flight");
      // Consoles reconnect to another instance; their sockets must not hold this one open.
      realtime.io.local.disconnectSockets(true);
      // Idle keep-alive connections are closed once the next turn has read what was already sent, then again as
      // each request in flight is answered; whatever still hangs after the grace period is cut.
      const sweepSoon = setImmediate(() => server.closeIdleConnections());
      const sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
      const cut = setTimeout(() => {
        context.logger.warn({ graceMs }, "requests still open after the grace period: closing their connections");
        server.closeAllConnections();
      }, graceMs);
      try {
        await closed;
      } finally {
        clearImmediate(sweepSoon);
        clearInterval(sweep);
        clearTimeout(cut);
      }
      // Workers first: a job finishing now commits outbox messages too. Then what the last webhooks and jobs
      // committed is pushed and enqueued while the socket adapter and the queues still run.
      await workers?.close();
      await context.publisher.stop();
      await realtime.close();
    },
  };
}
