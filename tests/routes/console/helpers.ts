import { RedisQueueRegistry } from "../../../server/twilio/simulator.js";
import { Redis } from "ioredis";
import { io as connect, type Socket } from "socket.io-client";
import { Call } from "../../../entities/Call.js";
import type { Language } from "../../../entities/enums.js";
import type { ReferencePerson } from "../../../entities/ReferencePerson.js";
import type { ClientToServerEvents, ServerToClientEvents } from "../../../shared-types/socket-events.js";
import { inTransaction } from "../../../server/commands/transaction.js";
import type { AppContext } from "../../../server/context.js";
import { adapterConnectionNames } from "../../../server/realtime/adapter-redis.js";
import { startTestServer, type TestServer } from "../../support/app.js";
import { resetDatabase } from "../../support/database.js";
import { deskFetch } from "../../support/desk-fetch.js";
import { fixtures } from "../../support/fixtures.js";

// Helpers shared by the console route, socket and browser tests.

let callCounter = 0;

/** Logs in through the API (from `origin`, the desk's: the server's own unless it runs on another PUBLIC_BASE_URL); returns the Cookie header value for later requests. */
export async function login(baseUrl: string, email: string, password = "correct horse battery", origin = new URL(baseUrl).origin): Promise<string> {
  const response = await deskFetch(`${baseUrl}/api/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email, password }) }, origin);
  if (response.status !== 200) throw new Error(`login failed: ${response.status} ${await response.text()}`);
  const cookie = response.headers.getSetCookie().find((line) => line.startsWith("sd_session="));
  if (!cookie) throw new Error("login set no session cookie");
  return cookie.split(";")[0]!;
}

/** A JSON request with the session cookie (from the desk's `origin`, by default the server's own); returns status and parsed body. */
export async function api<T = any>(baseUrl: string, cookie: string | null, method: string, path: string, body?: unknown, origin = new URL(baseUrl).origin): Promise<{ status: number; body: T }> {
  const response = await deskFetch(`${baseUrl}${path}`, {
    method,
    headers: { ...(cookie ? { cookie } : {}), ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  }, origin);
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : null) as T };
}

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A real Socket.IO client with the session cookie; resolves once connected, rejects on a refused handshake. */
export function connectSocket(baseUrl: string, cookie: string | null, beforeConnect?: (socket: ClientSocket) => void): Promise<ClientSocket> {
  const socket: ClientSocket = connect(baseUrl, { forceNew: true, reconnection: false, transports: ["websocket"], extraHeaders: cookie ? { cookie } : {}, autoConnect: false });
  beforeConnect?.(socket);
  socket.connect();
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve(socket));
    socket.once("connect_error", (error) => {
      socket.close();
      reject(error);
    });
  });
}

/** Collects every event of one name a socket receives (listening starts now). */
export function collect<E extends keyof ServerToClientEvents>(socket: ClientSocket, event: E): Parameters<ServerToClientEvents[E]>[0][] {
  const seen: Parameters<ServerToClientEvents[E]>[0][] = [];
  socket.on(event, ((payload: Parameters<ServerToClientEvents[E]>[0]) => seen.push(payload)) as never);
  return seen;
}

/** Waits until `check` returns a value (polling every 20 ms), or fails after `timeoutMs`. */
export async function eventually<T>(check: () => T | undefined | null | false, timeoutMs = 3000, what = "condition"): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Writes a call as the IVR leaves it once the caller is identified (or queued), with its `call.updated`
 * outbox message, through a real transaction: the realtime processor publishes it after commit.
 */
export async function identifiedCall(
  context: AppContext,
  props: { person: ReferencePerson; language?: Language; queued?: boolean; ticketId?: number | null; ivrState?: Record<string, unknown>; createdAt?: Date },
): Promise<Call> {
  const language = props.language ?? props.person.language;
  return inTransaction(context, async (tx) => {
    const call = await tx.manager.getRepository(Call).save({
      callSid: `CAtest${process.pid}x${++callCounter}x${Date.now()}`,
      direction: "inbound",
      fromNumber: "+32470123456",
      fromE164: "+32470123456",
      toNumber: "+3232000000",
      language,
      personId: props.person.id,
      customerId: props.person.customerId,
      ticketId: props.ticketId ?? null,
      ivrStep: props.queued ? "queue" : "contact_type",
      ivrState: props.ivrState ?? null,
      outcome: props.queued ? "queued" : "in_ivr",
      queueName: props.queued ? `support-${language}` : null,
      queuedAt: props.queued ? new Date() : null,
      ...(props.createdAt ? { createdAt: props.createdAt } : {}),
    });
    await tx.record("call.updated", { callId: call.id });
    // A queued caller waits in Twilio's queue too: the simulated client dequeues only a member.
    if (call.queueName) await new RedisQueueRegistry(context.redis, context.env.REDIS_PREFIX).join(call.queueName, call.callSid, Date.now());
    return call;
  });
}

/** Changes a call as the IVR would (step, ticket, queue, end) and announces it. */
export async function updateCall(context: AppContext, callId: number, changes: Partial<Pick<Call, "ticketId" | "outcome" | "queueName" | "queuedAt" | "endedAt" | "ivrState" | "ivrStep" | "waitSeconds">>, topic: "call.updated" | "call.ended" = "call.updated"): Promise<void> {
  await inTransaction(context, async (tx) => {
    await tx.manager.getRepository(Call).update({ id: callId }, changes as Parameters<ReturnType<typeof tx.manager.getRepository<Call>>["update"]>[1]);
    await tx.record(topic, { callId });
  });
}

/** Waits a little to show that something did NOT arrive. */
export const settle = (ms = 300) => new Promise((resolve) => setTimeout(resolve, ms));

/** What realtimeTestBed gives each test: its own server, an entitled Dutch-speaking caller, the sockets it opened. */
export interface RealtimeTestBed {
  server: TestServer;
  world: Awaited<ReturnType<ReturnType<typeof fixtures>["entitledCaller"]>>;
  /** Sockets to close after the test. */
  sockets: ClientSocket[];
}

/** Registers the hooks of a socket test: a fresh server and database before each test, sockets and server closed after. */
export function realtimeTestBed(): RealtimeTestBed {
  const bed = { sockets: [] as ClientSocket[] } as RealtimeTestBed;
  beforeEach(async () => {
    bed.server = await startTestServer();
    await resetDatabase(bed.server.context.dataSource);
    bed.world = await fixtures(bed.server.context.dataSource).entitledCaller({ language: "nl" });
  });
  afterEach(async () => {
    for (const socket of bed.sockets.splice(0)) socket.close();
    await bed.server.close();
  });
  return bed;
}

/**
 * Cuts the connection of the server's Socket.IO subscriber to Redis, as a Redis restart would; ioredis reconnects and
 * subscribes again on its own. What other instances published meanwhile would be lost.
 */
export async function dropAdapterSubscriber(context: AppContext): Promise<void> {
  const admin = new Redis(context.redisUrl);
  try {
    const name = adapterConnectionNames(context.env.REDIS_PREFIX).sub;
    const ids = String(await admin.call("CLIENT", "LIST"))
      .split("\n")
      .filter((line) => line.includes(` name=${name} `))
      .map((line) => /^id=(\d+)/.exec(line)![1]!);
    if (ids.length !== 1) throw new Error(`expected one Redis connection named ${name}, found ${ids.length}`);
    await admin.call("CLIENT", "KILL", "ID", ids[0]!);
  } finally {
    admin.disconnect();
  }
}
