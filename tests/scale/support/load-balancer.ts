import http from "node:http";
import type { AddressInfo } from "node:net";

/** An instance behind the balancer. */
export interface Backend {
  name: string;
  port: number;
}

/** One webhook as the balancer passed it on. */
export interface ForwardedRequest {
  callSid: string | null;
  path: string;
  /** The instance that answered (or the last one tried). */
  backend: string;
  /** Instances that failed with a connection error first (the request was sent again to the next). */
  failedOn: string[];
  status: number | null;
  /** From the request's arrival to the answer, in ms. */
  ms: number;
  /** When the request arrived (Date.now()). */
  at: number;
}

/** Twilio gives up on a webhook after 15 s. */
const TWILIO_TIMEOUT_MS = 15_000;

/**
 * The public address of the desk in front of several instances, as Twilio sees it: one PUBLIC_BASE_URL for all
 * (so the signature Twilio computes over the URL it calls verifies on every instance, and TwiML action URLs
 * point back here). Each call's successive webhooks go to the instances in turn (A, B, A, …), so every step
 * of one call is served by a different process than the step before.
 *
 * It also plays Twilio's retry: when an instance cannot be reached or drops the connection mid-request
 * (kill -9), the very same signed request (same URL, body and X-Twilio-Signature) is sent to the next instance.
 */
export class LoadBalancer {
  readonly log: ForwardedRequest[] = [];
  /** Requests sent again to another instance after a connection error. */
  retries = 0;
  private readonly server = http.createServer((req, res) => void this.handle(req, res));
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 128 });
  private readonly nextForCall = new Map<string, number>();
  private readonly inFlight = new Map<string, number>();
  private roundRobin = 0;
  private port = 0;

  constructor(readonly backends: Backend[]) {}

  /** Listens on `port` (0: any free port). */
  async start(port = 0): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(port, "127.0.0.1", resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  /** The shared public base URL (PUBLIC_BASE_URL of every instance). */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Requests currently being answered by one instance. */
  pending(backend: string): number {
    return this.inFlight.get(backend) ?? 0;
  }

  /** The instances that served one call's webhooks, in order. */
  servedBy(callSid: string): string[] {
    return this.log.filter((entry) => entry.callSid === callSid).map((entry) => entry.backend);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
    this.agent.destroy();
  }

  /** The first instance to try: the one after the instance that served this call's previous webhook. */
  private firstFor(callSid: string | null): number {
    if (!callSid) return this.roundRobin++ % this.backends.length;
    const index = this.nextForCall.get(callSid) ?? 0;
    this.nextForCall.set(callSid, (index + 1) % this.backends.length);
    return index;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const callSid = String(req.headers["content-type"] ?? "").includes("urlencoded") ? new URLSearchParams(body.toString()).get("CallSid") : null;
    const entry: ForwardedRequest = { callSid, path: req.url ?? "/", backend: "", failedOn: [], status: null, ms: 0, at: Date.now() };
    const arrived = performance.now();
    this.log.push(entry);

    const first = this.firstFor(callSid);
    for (let attempt = 0; attempt < this.backends.length; attempt++) {
      const backend = this.backends[(first + attempt) % this.backends.length]!;
      entry.backend = backend.name;
      try {
        const answer = await this.forward(backend, req, body);
        entry.status = answer.status;
        entry.ms = performance.now() - arrived;
        res.writeHead(answer.status, answer.headers).end(answer.body);
        return;
      } catch (error) {
        if (!isConnectionError(error)) break;
        entry.failedOn.push(backend.name);
        if (attempt + 1 < this.backends.length) this.retries++;
      }
    }
    entry.status = 502;
    entry.ms = performance.now() - arrived;
    res.writeHead(502, { "content-type": "text/plain" }).end("no instance answered");
  }

  private forward(backend: Backend, req: http.IncomingMessage, body: Buffer): Promise<{ status: number; headers: http.OutgoingHttpHeaders; body: Buffer }> {
    const headers: http.OutgoingHttpHeaders = { ...req.headers, host: `127.0.0.1:${backend.port}`, "content-length": String(body.length) };
    delete headers.connection;
    this.inFlight.set(backend.name, this.pending(backend.name) + 1);
    return new Promise<{ status: number; headers: http.OutgoingHttpHeaders; body: Buffer }>((resolve, reject) => {
      const outgoing = http.request({ host: "127.0.0.1", port: backend.port, method: req.method, path: req.url, headers, agent: this.agent, timeout: TWILIO_TIMEOUT_MS }, (response) => {
        const parts: Buffer[] = [];
        response.on("data", (chunk: Buffer) => parts.push(chunk));
        response.on("end", () => {
          const { connection: _connection, "keep-alive": _keepAlive, "transfer-encoding": _encoding, ...kept } = response.headers;
          resolve({ status: response.statusCode ?? 502, headers: kept, body: Buffer.concat(parts) });
        });
        response.on("error", reject);
        // The instance died after sending part of the answer.
        response.on("close", () => {
          if (!response.complete) reject(Object.assign(new Error("answer cut off"), { code: "ECONNRESET" }));
        });
      });
      outgoing.on("timeout", () => outgoing.destroy(Object.assign(new Error("webhook timed out"), { code: "TWILIO_TIMEOUT" })));
      outgoing.on("error", reject);
      outgoing.end(body);
    }).finally(() => this.inFlight.set(backend.name, this.pending(backend.name) - 1));
  }
}

/** Errors after which Twilio tries again: nobody listening, or the connection cut before an answer. */
function isConnectionError(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  return code === "ECONNREFUSED" || code === "ECONNRESET" || code === "EPIPE" || code === "ECONNABORTED";
}
