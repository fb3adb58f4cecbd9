// Worker thread of the benchmark: holds the agent sockets, so receiving pops does not share the callers' event loop.
import { parentPort, workerData } from "node:worker_threads";
import { io, type Socket } from "socket.io-client";

interface AgentsWorkerData {
  /** The app instances: agents connect to them in turn (Socket.IO's Redis adapter joins them). */
  urls: string[];
  tokens: string[];
}

const { urls, tokens } = workerData as AgentsWorkerData;
const sockets: Socket[] = [];
/** First arrival of a pop carrying the ticket, per call: ms from ticket creation to receipt. */
const popLatencies = new Map<number, number>();
let popsReceived = 0;

for (const [index, token] of tokens.entries()) {
  const socket = io(urls[index % urls.length]!, { transports: ["websocket"], extraHeaders: { cookie: `sd_session=${token}` }, reconnection: true });
  socket.on("screenpop:show", (pop: { callId: number; ticket: { createdAt: string } | null }) => {
    popsReceived++;
    if (pop.ticket && !popLatencies.has(pop.callId)) popLatencies.set(pop.callId, Date.now() - Date.parse(pop.ticket.createdAt));
  });
  sockets.push(socket);
}

await Promise.all(sockets.map((socket) => (socket.connected ? undefined : new Promise<void>((resolve, reject) => {
  socket.once("connect", () => resolve());
  socket.once("connect_error", (error) => reject(error));
}))));
parentPort!.postMessage({ kind: "connected", count: sockets.length });

parentPort!.on("message", (message: { kind: string }) => {
  if (message.kind === "collect") {
    parentPort!.postMessage({ kind: "latencies", latencies: [...popLatencies.values()], popsReceived });
    popLatencies.clear();
    popsReceived = 0;
  }
  if (message.kind === "close") {
    for (const socket of sockets) socket.disconnect();
    parentPort!.postMessage({ kind: "closed" });
  }
});
