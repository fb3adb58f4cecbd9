import { DeadlineExceeded } from "../deadline.js";
import type { OutboundCallRequest, StatusCallbackEvent } from "./client.js";
import { validateTwiml, type TwimlContext } from "./twiml-schema.js";
import { randomBytes } from "node:crypto";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import type { Redis } from "ioredis";
import twilio from "twilio";
import { withDeadline } from "../deadline.js";
import type { TwilioCallRecord } from "./client.js";
import type { SoftphoneEndReason, SoftphoneIncoming } from "../../shared-types/socket-events.js";

/** One TwiML element, parsed with a real XML parser (attributes by name, text of all descendants). */
export interface TwimlNode {
  name: string;
  attrs: Record<string, string>;
  text: string;
  children: TwimlNode[];
}

/** TwiML that is not well-formed XML or has no <Response> root. */
export class InvalidTwimlError extends Error {
  constructor(message: string, readonly xml: string) {
    super(message);
    this.name = "InvalidTwimlError";
  }
}

/** Well-formed TwiML that breaks Twilio's documented verbs, nouns, attributes or nesting (server/twilio/twiml-schema.ts). */
export class TwimlSchemaError extends InvalidTwimlError {
  constructor(message: string, xml: string) {
    super(message, xml);
    this.name = "TwimlSchemaError";
  }
}

const parser = new XMLParser({ preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: "", parseTagValue: false, parseAttributeValue: false, trimValues: true });

type RawNode = Record<string, unknown> & { ":@"?: Record<string, string> };

function normalize(raw: RawNode[]): TwimlNode[] {
  const nodes: TwimlNode[] = [];
  for (const item of raw) {
    const name = Object.keys(item).find((key) => key !== ":@");
    if (!name || name === "?xml") continue;
    if (name === "#text") {
      nodes.push({ name: "#text", attrs: {}, text: String(item[name] ?? ""), children: [] });
      continue;
    }
    const children = normalize((item[name] as RawNode[]) ?? []);
    const text = children.map((child) => child.text).filter(Boolean).join(" ").replace(/\s+/g, " ").trim();
    nodes.push({ name, attrs: { ...(item[":@"] ?? {}) }, text, children: children.filter((child) => child.name !== "#text") });
  }
  return nodes;
}

/** Parses a TwiML document; throws InvalidTwimlError unless it is well-formed XML with a <Response> root. */
export function parseTwiml(xml: string): TwimlNode {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new InvalidTwimlError(`TwiML is not well-formed XML: ${valid.err.msg}`, xml);
  const root = normalize(parser.parse(xml) as RawNode[]).find((node) => node.name !== "#text");
  if (!root || root.name !== "Response") throw new InvalidTwimlError("TwiML root element is not <Response>", xml);
  return root;
}

/** Every element named `name` in document order (depth first). */
export function findAll(node: TwimlNode, name: string): TwimlNode[] {
  const found: TwimlNode[] = [];
  for (const child of node.children) {
    if (child.name === name) found.push(child);
    found.push(...findAll(child, name));
  }
  return found;
}

/** Something the caller heard: a <Say> (with its language) or a sound. */
export interface Heard {
  kind: "say" | "play" | "system";
  text: string;
  language: string | null;
}

/** Where a simulated call is: waiting for keys, waiting in a queue, recording, connected, or over. */
export type SimStatus = "gather" | "queue" | "record" | "dial" | "ended" | "ringing";

/**
 * Who answered an outbound call, as Twilio's answering machine detection reports it in AnsweredBy: `machine_start`
 * with MachineDetection=Enable, one of the machine_end_* once the greeting ended with DetectMessageEnd.
 * https://www.twilio.com/docs/voice/answering-machine-detection (AnsweredBy)
 */
export type AnsweredBy = "human" | "machine_start" | "machine_end_beep" | "machine_end_silence" | "machine_end_other" | "fax" | "unknown";
export const ANSWERED_BY: readonly AnsweredBy[] = ["human", "machine_start", "machine_end_beep", "machine_end_silence", "machine_end_other", "fax", "unknown"];

/** How an outbound call that nobody answered ends (its CallStatus): rang out, busy, not placeable, or given up. */
export type UnansweredStatus = "no-answer" | "busy" | "failed" | "canceled";

/** A <Gather> waiting for keys, and what follows it when the caller stays silent. */
interface PendingGather {
  action: string;
  method: string;
  actionOnEmptyResult: boolean;
  finishOnKey: string;
  after: TwimlNode[];
  /** Gather of the queue's wait music (answers run in the queue). */
  inQueue: boolean;
}

/** The whole state of a simulated call; plain JSON, so it can live in Redis between HTTP requests. */
export interface SimCall {
  callSid: string;
  accountSid: string;
  from: string;
  to: string;
  startedAt: number;
  /** inbound (someone rang the desk) or outbound-api (the desk placed it through the Calls API); absent: inbound. */
  direction?: "inbound" | "outbound-api";
  /** An outbound call: what the Calls API was asked (URL, status callback and events, machine detection). */
  outbound?: OutboundCallRequest | null;
  /** AnsweredBy of an answered outbound call when machine detection was asked. */
  answeredBy?: AnsweredBy | null;
  /** Status callbacks posted so far (Twilio's SequenceNumber counts them). */
  callbacksPosted?: number;
  status: SimStatus;
  heard: Heard[];
  gather: PendingGather | null;
  queue: { name: string; waitUrl: string; waitMethod: string; action: string | null; method: string; joinedAt: number } | null;
  record: { action: string | null; method: string; after: TwimlNode[] } | null;
  /** What a <Dial> connected to, e.g. "client:agent-5" or "number:+3232000002". */
  connectedTo: string | null;
  /** How the call ended or where it is, in words. */
  outcome: string;
  /** Every webhook request made, with its HTTP status (0 when none came in time), and Twilio's error code when it failed. */
  requests: { url: string; status: number; errorCode?: number }[];
  /** The last TwiML document received, parsed. */
  lastTwiml: TwimlNode | null;
  /** Redirect requests already followed (see pendingSimulatedRedirects). */
  redirectsFollowed: number;
  /** The <Dial> under way (ringing or connected), or none. */
  dial?: SimDial | null;
}

/**
 * A <Dial> under way: its single leg ringing (answeredAt null) until answered, rejected or timed out, then
 * connected until one side hangs up (https://www.twilio.com/docs/voice/twiml/dial).
 */
export interface SimDial {
  /** What is dialled, e.g. "client:agent-5" or "number:+3232000002". */
  to: string;
  kind: "client" | "number";
  /** The Client identity or the number. */
  address: string;
  /** The CallSid of the dialled leg (Twilio posts it as DialCallSid). */
  dialCallSid: string;
  action: string | null;
  method: string;
  /** Seconds the leg rings before Twilio gives up (no-answer); Twilio's default is 30. */
  timeoutSeconds: number;
  startedAt: number;
  answeredAt: number | null;
  /** The verbs after the <Dial>, which Twilio runs when it has no action. */
  after: TwimlNode[];
  /** Softphone actions (answer, reject, hangup) already taken from the relay. */
  actionsApplied: number;
  /** Keys the agent sent (DTMF), as the caller would hear them. */
  digits: string;
}

/** What a registered browser softphone did with a ring, relayed through Redis (server/twilio/softphone-bus.ts). */
export interface SoftphoneAction {
  kind: "answer" | "reject" | "hangup" | "digits";
  dialCallSid: string;
  digits?: string;
}

/**
 * The browser softphones the simulated Twilio can ring (<Dial><Client>): which identities are registered, and the
 * relay of a ring to them and of what they did back. Implemented over Redis by RedisSoftphoneBus.
 */
export interface SimSoftphones {
  isRegistered(identity: string): Promise<boolean>;
  ring(ring: SoftphoneIncoming): Promise<void>;
  ended(ring: { dialCallSid: string; callSid: string; identity: string }, reason: SoftphoneEndReason): Promise<void>;
  /** Every action taken on the dials of this (parent) call, oldest first. */
  actions(callSid: string): Promise<SoftphoneAction[]>;
}

/** Simulated Twilio queues: positions and average waits, shared by every caller of one desk. */
export interface SimQueueRegistry {
  join(queue: string, callSid: string, at: number): Promise<void>;
  leave(queue: string, callSid: string, at: number): Promise<void>;
  position(queue: string, callSid: string): Promise<{ position: number; size: number; averageWaitSeconds: number }>;
}

/** Queues kept in this process (the CLI without Redis, unit tests). */
export class MemoryQueueRegistry implements SimQueueRegistry {
  private readonly queues = new Map<string, Map<string, number>>();
  private readonly waits = new Map<string, { total: number; count: number }>();
  async join(queue: string, callSid: string, at: number) {
    if (!this.queues.has(queue)) this.queues.set(queue, new Map());
    this.queues.get(queue)!.set(callSid, at);
  }
  async leave(queue: string, callSid: string, at: number) {
    const joined = this.queues.get(queue)?.get(callSid);
    if (joined === undefined) return;
    this.queues.get(queue)!.delete(callSid);
    const stats = this.waits.get(queue) ?? { total: 0, count: 0 };
    this.waits.set(queue, { total: stats.total + (at - joined) / 1000, count: stats.count + 1 });
  }
  async position(queue: string, callSid: string) {
    const members = [...(this.queues.get(queue)?.entries() ?? [])].sort((a, b) => a[1] - b[1]).map(([sid]) => sid);
    const stats = this.waits.get(queue);
    return { position: members.indexOf(callSid) + 1, size: members.length, averageWaitSeconds: stats && stats.count ? Math.round(stats.total / stats.count) : 0 };
  }
}

/** Queues in Redis (sorted set per queue), so the CLI, the simulator page and tests see one another's callers. */
export class RedisQueueRegistry implements SimQueueRegistry {
  constructor(private readonly redis: Redis, private readonly prefix: string) {}
  private key(queue: string) {
    return `${this.prefix}:twilio-sim:queue:${queue}`;
  }
  async join(queue: string, callSid: string, at: number) {
    await this.redis.multi().zadd(this.key(queue), at, callSid).expire(this.key(queue), 86_400).exec();
  }
  async leave(queue: string, callSid: string, at: number) {
    const joined = await this.redis.zscore(this.key(queue), callSid);
    if (joined === null) return;
    await this.redis
      .multi()
      .zrem(this.key(queue), callSid)
      .hincrbyfloat(`${this.key(queue)}:waits`, "total", (at - Number(joined)) / 1000)
      .hincrby(`${this.key(queue)}:waits`, "count", 1)
      .expire(`${this.key(queue)}:waits`, 86_400)
      .exec();
  }
  /** True while the call waits in the queue (what Twilio's Queue Member resource answers for). */
  async isMember(queue: string, callSid: string): Promise<boolean> {
    return (await this.redis.zscore(this.key(queue), callSid)) !== null;
  }
  async position(queue: string, callSid: string) {
    const [rank, size, stats] = await Promise.all([this.redis.zrank(this.key(queue), callSid), this.redis.zcard(this.key(queue)), this.redis.hgetall(`${this.key(queue)}:waits`)]);
    const count = Number(stats.count ?? 0);
    return { position: rank === null ? 0 : rank + 1, size, averageWaitSeconds: count ? Math.round(Number(stats.total ?? 0) / count) : 0 };
  }
}

/**
 * Twilio's own record of the calls the simulator rings in (in-progress, then completed with its duration) and of those
 * placed through the simulated REST client (queued until answered or given up). The simulated client answers a call
 * lookup (fetchCall) from it, as Twilio would, including for a call whose status callback never reached the desk.
 * Kept in Redis for a day.
 */
export class RedisCallLedger {
  constructor(private readonly redis: Redis, private readonly prefix: string) {}
  private key(callSid: string) {
    return `${this.prefix}:twilio-sim:ledger:${callSid}`;
  }
  /** Records what Twilio now knows of the call. */
  async record(callSid: string, record: TwilioCallRecord): Promise<void> {
    await this.redis.set(this.key(callSid), JSON.stringify(record), "EX", 86_400);
  }
  /** The record of a call, or null when the simulated Twilio never had it. */
  async lookup(callSid: string): Promise<TwilioCallRecord | null> {
    const stored = await this.redis.get(this.key(callSid));
    if (!stored) return null;
    const record = JSON.parse(stored) as Omit<TwilioCallRecord, "endedAt"> & { endedAt: string | null };
    return { ...record, endedAt: record.endedAt ? new Date(record.endedAt) : null };
  }
}

/** An outbound call the simulated Calls API placed and that rings until the phone simulator (or a test) picks it up. */
export interface RingingOutboundCall extends OutboundCallRequest {
  callSid: string;
  /** When the Calls API placed it (ms). */
  placedAt: number;
}

/**
 * The outbound calls the simulated REST client placed, ringing at their `to` number until someone takes them (answer,
 * decline, ring out). Kept in Redis (a hash of requests, a sorted set of those still ringing), so the instance that
 * placed the call and the one serving the phone simulator page need not be the same.
 */
export class RedisOutboundCalls {
  constructor(private readonly redis: Redis, private readonly prefix: string) {}
  private get ringingKey() {
    return `${this.prefix}:twilio-sim:outbound:ringing`;
  }
  private key(callSid: string) {
    return `${this.prefix}:twilio-sim:outbound:${callSid}`;
  }
  async place(call: RingingOutboundCall): Promise<void> {
    await this.redis.multi().set(this.key(call.callSid), JSON.stringify(call), "EX", 86_400).zadd(this.ringingKey, call.placedAt, call.callSid).expire(this.ringingKey, 86_400).exec();
  }
  /** The outbound calls still ringing (oldest first), optionally only those to one number. */
  async ringing(to?: string): Promise<RingingOutboundCall[]> {
    const sids = await this.redis.zrange(this.ringingKey, 0, -1);
    if (sids.length === 0) return [];
    const stored = await this.redis.mget(...sids.map((callSid) => this.key(callSid)));
    return stored.filter((json): json is string => json !== null).map((json) => JSON.parse(json) as RingingOutboundCall).filter((call) => to === undefined || call.to === to);
  }
  /** Takes a ringing call off the ringing set: only one taker wins (null for the others, or an unknown CallSid). */
  async take(callSid: string): Promise<RingingOutboundCall | null> {
    if ((await this.redis.zrem(this.ringingKey, callSid)) !== 1) return null;
    const stored = await this.redis.get(this.key(callSid));
    return stored ? (JSON.parse(stored) as RingingOutboundCall) : null;
  }
}

/** One webhook request as Twilio sends it, and what came back. */
export interface WebhookRequest {
  method: "GET" | "POST";
  headers: Record<string, string>;
  body?: string;
  /** Aborted when Twilio stops waiting (TWILIO_WEBHOOK_TIMEOUT_MS). */
  signal?: AbortSignal;
}
export type WebhookTransport = (url: string, request: WebhookRequest) => Promise<{ status: number; body: string }>;

/** Sends webhooks with fetch. */
export const fetchTransport: WebhookTransport = async (url, request) => {
  const response = await fetch(url, request);
  return { status: response.status, body: await response.text() };
};

export interface SimulatorOptions {
  /** Auth token the requests are signed with (TWILIO_AUTH_TOKEN of the app). */
  authToken: string;
  /** Voice URL of the desk's number, e.g. http://localhost:3000/twilio/voice. */
  voiceUrl: string;
  /** Status callback URL of the number. */
  statusUrl?: string;
  queues?: SimQueueRegistry;
  /** Twilio's record of the calls (for the simulated REST client's call lookups); none kept without it. */
  ledger?: RedisCallLedger;
  /** Browser softphones a <Dial><Client> rings; without it no client is registered (every Client dial goes unanswered). */
  softphones?: SimSoftphones;
  /** "Now" in ms (tests may pin it). */
  clock?: () => number;
  /** Longest chain of TwiML documents followed without caller input (a redirect loop guard). */
  maxDocuments?: number;
  /** How webhooks travel (default fetch; the benchmark uses a lighter HTTP client so its own CPU stays small). */
  transport?: WebhookTransport;
  /**
   * Voice Fallback URL of the number: requested (with ErrorCode and ErrorUrl) when a webhook of an inbound call fails
   * (no answer in time, an HTTP error, TwiML Twilio refuses). Without it the caller hears Twilio's application error.
   * https://www.twilio.com/docs/usage/security/availability-reliability#fallback-urls
   */
  fallbackUrl?: string;
  /** How long Twilio waits for a webhook's answer (15 s, error 11205 after that; tests may shorten it). */
  webhookTimeoutMs?: number;
}

/**
 * Twilio waits 15 s in all for an HTTP answer (TCP connect included), then fails the request with error 11205, fires a
 * notification and tries the fallback URL. https://www.twilio.com/docs/errors/11205
 */
export const TWILIO_WEBHOOK_TIMEOUT_MS = 15_000;

/** A webhook that failed as Twilio sees it: the error code Twilio logs (and posts to the fallback URL as ErrorCode). */
export interface WebhookFailure {
  /** 11205 no answer in time / no connection, 11200 an HTTP error status, 12100 not a TwiML document, 12200 TwiML Twilio refuses. */
  code: 11200 | 11205 | 12100 | 12200;
  reason: string;
}

const sid = (prefix: string) => `${prefix}${randomBytes(16).toString("hex")}`;

/** How long a <Dial> rings when it names no timeout (https://www.twilio.com/docs/voice/twiml/dial#timeout). */
export const DEFAULT_DIAL_TIMEOUT_SECONDS = 30;

/**
 * Plays Twilio's part for one desk: signs every webhook exactly like Twilio (X-Twilio-Signature over URL and
 * POST parameters), posts the call's parameters, follows <Gather>, <Redirect>, <Enqueue> (wait URL with
 * QueuePosition/AvgQueueTime, <Leave>, the action URL), <Record>, <Dial> and <Hangup>, and records what the
 * caller hears. Used by `npm run call`, the simulator page (through /sim) and the tests.
 */
export class TwilioSimulator {
  private readonly queues: SimQueueRegistry;
  private readonly clock: () => number;

  constructor(readonly options: SimulatorOptions) {
    this.queues = options.queues ?? new MemoryQueueRegistry();
    this.clock = options.clock ?? Date.now;
  }

  /** Rings the desk: posts the Voice URL and runs the TwiML until the caller must act. */
  async start(call: { from: string; to: string; callSid?: string }): Promise<SimCall> {
    const state: SimCall = {
      callSid: call.callSid ?? sid("CA"),
      accountSid: `AC${"0".repeat(32)}`,
      from: call.from,
      to: call.to,
      startedAt: this.clock(),
      status: "gather",
      heard: [],
      gather: null,
      queue: null,
      record: null,
      connectedTo: null,
      outcome: "ringing",
      requests: [],
      lastTwiml: null,
      redirectsFollowed: 0,
    };
    await this.options.ledger?.record(state.callSid, { status: "in-progress", durationSeconds: null, endedAt: null });
    await this.fetchAndRun(state, this.options.voiceUrl, "POST", { CallStatus: "ringing" });
    return state;
  }

  /** The caller presses keys at the current <Gather> (in the IVR or in the queue). */
  async press(state: SimCall, digits: string): Promise<SimCall> {
    const gather = state.gather;
    if (!gather) throw new Error(`nothing is asking for keys (call is ${state.status})`);
    state.gather = null;
    const pressed = gather.finishOnKey && digits.endsWith(gather.finishOnKey) ? digits.slice(0, -gather.finishOnKey.length) : digits;
    await this.fetchAndRun(state, gather.action, gather.method, { Digits: pressed, ...(gather.inQueue ? await this.queueParams(state) : {}) }, gather.inQueue);
    return state;
  }

  /** The caller stays silent at the current <Gather>: Twilio posts an empty result or moves on. */
  async silence(state: SimCall): Promise<SimCall> {
    const gather = state.gather;
    if (!gather) throw new Error(`nothing is asking for keys (call is ${state.status})`);
    state.gather = null;
    if (gather.actionOnEmptyResult) await this.fetchAndRun(state, gather.action, gather.method, { Digits: "" }, gather.inQueue);
    else await this.run(state, gather.after, gather.inQueue);
    if (gather.inQueue && state.status === "queue" && !state.gather) await this.requestWait(state);
    return state;
  }

  /** While queued: Twilio requests the wait URL again (the announcements repeat). */
  async waitInQueue(state: SimCall): Promise<SimCall> {
    if (state.status !== "queue") throw new Error(`the call is not in a queue (it is ${state.status})`);
    state.gather = null;
    await this.requestWait(state);
    return state;
  }

  /** The caller speaks a message at the <Record> (a fictitious recording URL is posted). */
  async recordMessage(state: SimCall, seconds = 12): Promise<SimCall> {
    const record = state.record;
    if (state.status !== "record" || !record) throw new Error(`nothing is recording (call is ${state.status})`);
    state.record = null;
    const recordingSid = sid("RE");
    if (record.action) {
      await this.fetchAndRun(state, record.action, record.method, {
        RecordingUrl: `https://api.twilio.com/2010-04-01/Accounts/${state.accountSid}/Recordings/${recordingSid}`,
        RecordingSid: recordingSid,
        RecordingDuration: String(seconds),
        Digits: "#",
      });
    } else await this.run(state, record.after);
    return state;
  }

  /**
   * Twilio redirects the call to new TwiML (an agent accepted it: Queue Members API or a call update). A queued call
   * leaves its queue, and Twilio requests the <Enqueue> action right away with QueueResult=redirected ("in the case
   * where a call is dequeued due to a REST API request … the action URL is requested right away"); the call then runs
   * the new URL, not the action's answer. https://www.twilio.com/docs/voice/twiml/enqueue#attributes-action and
   * https://www.twilio.com/docs/voice/api/member-resource#update-a-member-resource
   */
  async redirect(state: SimCall, url: string): Promise<SimCall> {
    if (state.status === "ended") return state;
    if (state.queue) {
      const queue = state.queue;
      const params = await this.queueParams(state);
      await this.queues.leave(queue.name, state.callSid, this.clock());
      state.queue = null;
      if (queue.action) {
        await this.post(state, queue.action, queue.method, { QueueResult: "redirected", QueueSid: params.QueueSid!, QueueTime: params.QueueTime! });
        if ((state.status as SimStatus) === "ended") return state; // the action failed: an application error ended the call
      }
    }
    state.queue = null;
    state.gather = null;
    state.record = null;
    state.redirectsFollowed++;
    await this.fetchAndRun(state, url, "POST", {});
    return state;
  }

  /** The caller hangs up: the Enqueue action learns it (QueueResult=hangup), then the status callback. */
  async hangup(state: SimCall): Promise<SimCall> {
    if (state.status === "ended") return state;
    if (state.queue) {
      const queue = state.queue;
      const params = await this.queueParams(state);
      await this.queues.leave(queue.name, state.callSid, this.clock());
      state.queue = null;
      if (queue.action) await this.post(state, queue.action, queue.method, { QueueResult: "hangup", QueueSid: params.QueueSid!, QueueTime: params.QueueTime! });
    }
    if (state.dial) await this.callerLeftDial(state);
    state.outcome = state.connectedTo ? `talked with ${state.connectedTo}, then hung up` : `caller hung up (${state.outcome})`;
    await this.end(state);
    return state;
  }

  /**
   * An outbound call the Calls API placed starts ringing at the called party: Twilio posts the `initiated` and
   * `ringing` status callbacks when they were asked for (StatusCallbackEvent). Answer it with answerOutbound, or end
   * it with unansweredOutbound. https://www.twilio.com/docs/voice/api/call-resource#statuscallbackevent
   */
  async ringOutbound(call: RingingOutboundCall): Promise<SimCall> {
    const state: SimCall = {
      callSid: call.callSid,
      accountSid: `AC${"0".repeat(32)}`,
      from: call.from,
      to: call.to,
      startedAt: this.clock(),
      direction: "outbound-api",
      outbound: { to: call.to, from: call.from, url: call.url, ...(call.statusCallback ? { statusCallback: call.statusCallback } : {}), ...(call.statusCallbackEvent ? { statusCallbackEvent: call.statusCallbackEvent } : {}), ...(call.machineDetection ? { machineDetection: call.machineDetection } : {}), ...(call.timeout ? { timeout: call.timeout } : {}) },
      answeredBy: null,
      callbacksPosted: 0,
      status: "ringing",
      heard: [],
      gather: null,
      queue: null,
      record: null,
      connectedTo: null,
      outcome: "ringing (the desk is calling)",
      requests: [],
      lastTwiml: null,
      redirectsFollowed: 0,
    };
    await this.statusCallback(state, "initiated", { CallStatus: "initiated" });
    await this.options.ledger?.record(state.callSid, { status: "ringing", durationSeconds: null, endedAt: null });
    await this.statusCallback(state, "ringing", { CallStatus: "ringing" });
    return state;
  }

  /**
   * The called party picks up. `answeredBy` says who (a person, an answering machine, a fax); Twilio only tells the app
   * (AnsweredBy on the URL's request) when machine detection was asked, and then a machine_end_* only with
   * DetectMessageEnd (machine_start otherwise). Posts the `answered` status callback when asked, then fetches the
   * call's URL (Direction outbound-api) and runs its TwiML.
   */
  async answerOutbound(state: SimCall, answeredBy: AnsweredBy = "human"): Promise<SimCall> {
    if (state.status !== "ringing" || !state.outbound) throw new Error(`the call is not ringing (it is ${state.status})`);
    const detection = state.outbound.machineDetection;
    const reported: AnsweredBy | null = !detection ? null : detection === "Enable" && answeredBy.startsWith("machine_end") ? "machine_start" : detection === "DetectMessageEnd" && answeredBy === "machine_start" ? "machine_end_other" : answeredBy;
    state.answeredBy = reported;
    state.startedAt = this.clock();
    state.status = "gather";
    state.outcome = answeredBy === "human" || answeredBy === "unknown" ? "answered" : `answered by ${answeredBy === "fax" ? "a fax" : "voicemail"}`;
    if (answeredBy !== "human" && answeredBy !== "unknown") state.heard.push({ kind: "system", text: `(${answeredBy === "fax" ? "a fax machine answers" : "the voicemail answers and records"})`, language: null });
    await this.options.ledger?.record(state.callSid, { status: "in-progress", durationSeconds: null, endedAt: null });
    await this.statusCallback(state, "answered", { CallStatus: "in-progress" });
    await this.fetchAndRun(state, state.outbound.url, "POST", reported ? { AnsweredBy: reported } : {});
    return state;
  }

  /**
   * Nobody answers: the call rings out (no-answer after its timeout), is busy (declined), cannot be placed (failed), or
   * is given up (canceled). Twilio posts the `completed` status callback with that CallStatus and a duration of 0.
   * https://www.twilio.com/docs/voice/api/call-resource#call-status-values
   */
  async unansweredOutbound(state: SimCall, status: UnansweredStatus): Promise<SimCall> {
    if (state.status !== "ringing" || !state.outbound) throw new Error(`the call is not ringing (it is ${state.status})`);
    state.status = "ended";
    state.outcome = status === "no-answer" ? "nobody answered (rang out)" : status === "busy" ? "declined (busy)" : status === "failed" ? "the call could not be placed (failed)" : "given up before an answer (canceled)";
    await this.options.ledger?.record(state.callSid, { status, durationSeconds: 0, endedAt: new Date(this.clock()) });
    await this.statusCallback(state, "completed", { CallStatus: status, CallDuration: "0" }).catch(() => null);
    return state;
  }

  /**
   * Posts a status callback of an outbound call for `event`, when the Calls API asked for it: the events named in
   * StatusCallbackEvent, or only `completed` when none were named. Carries SequenceNumber, Timestamp and
   * CallbackSource as Twilio's do. The answer's body is ignored.
   */
  private async statusCallback(state: SimCall, event: StatusCallbackEvent, extra: Record<string, string>): Promise<void> {
    const outbound = state.outbound;
    if (!outbound?.statusCallback) return;
    const events = outbound.statusCallbackEvent?.length ? outbound.statusCallbackEvent : ["completed"];
    if (!events.includes(event)) return;
    const sequence = state.callbacksPosted ?? 0;
    state.callbacksPosted = sequence + 1;
    await this.post(state, outbound.statusCallback, "POST", { ...extra, CallbackSource: "call-progress-events", SequenceNumber: String(sequence), Timestamp: new Date(this.clock()).toUTCString() }, { callback: true });
  }

  /** The texts of every <Say> heard so far. */
  static said(state: SimCall): string[] {
    return state.heard.filter((line) => line.kind === "say").map((line) => line.text);
  }

  /**
   * The dialled leg answers: a <Number> leg when the test or the simulator page says so (nobody answers a real phone
   * in simulation), or a softphone's answer taken from the relay by pollDial. Only a ringing leg can be answered.
   */
  async answerDial(state: SimCall): Promise<SimCall> {
    const dial = state.dial;
    if (state.status !== "dial" || !dial || dial.answeredAt !== null) throw new Error(`nothing is ringing (call is ${state.status})`);
    this.connectDial(state, dial);
    return state;
  }

  /**
   * The dialled leg refuses the call while it rings: a busy phone, or a Voice SDK `call.reject()`, which Twilio reports
   * as DialCallStatus=busy (https://github.com/twilio/voice-quickstart-ios/issues/238; statuses:
   * https://www.twilio.com/docs/voice/twiml/dial#dialcallstatus).
   */
  async rejectDial(state: SimCall): Promise<SimCall> {
    const dial = state.dial;
    if (state.status !== "dial" || !dial || dial.answeredAt !== null) throw new Error(`nothing is ringing (call is ${state.status})`);
    await this.finishDial(state, "busy");
    return state;
  }

  /**
   * The dialled party hangs up after talking: the <Dial> ends with DialCallStatus=completed and its DialCallDuration,
   * posted to the action, whose TwiML the caller then gets; without an action Twilio goes on with the verbs after the
   * <Dial> or ends the call (https://www.twilio.com/docs/voice/twiml/dial#action).
   */
  async hangupDial(state: SimCall): Promise<SimCall> {
    const dial = state.dial;
    if (state.status !== "dial" || !dial || dial.answeredAt === null) throw new Error(`nobody is connected (call is ${state.status})`);
    await this.finishDial(state, "completed");
    return state;
  }

  /**
   * Brings a <Dial> up to date whenever the call is looked at (GET /sim/calls/:sid, scripts/call.ts, tests): first what
   * the ringing softphone did (relayed through Redis), then the clock: a leg still ringing after `timeout` seconds
   * gives up with DialCallStatus=no-answer (https://www.twilio.com/docs/voice/twiml/dial#timeout). An answer after
   * the timeout is refused where it is sent (softphone:answer), as on Twilio, where the leg stopped ringing.
   */
  async pollDial(state: SimCall): Promise<SimCall> {
    const dial = state.dial;
    if (state.status !== "dial" || !dial) return state;
    const deadline = dial.startedAt + dial.timeoutSeconds * 1000;
    if (dial.kind === "client" && this.options.softphones) {
      const actions = (await this.options.softphones.actions(state.callSid)).filter((action) => action.dialCallSid === dial.dialCallSid);
      for (const action of actions.slice(dial.actionsApplied)) {
        if (state.dial !== dial) break;
        dial.actionsApplied++;
        await this.applySoftphoneAction(state, dial, action);
      }
    }
    if (state.dial === dial && dial.answeredAt === null && this.clock() >= deadline) await this.finishDial(state, "no-answer");
    return state;
  }

  private async applySoftphoneAction(state: SimCall, dial: SimDial, action: SoftphoneAction): Promise<void> {
    const ringing = dial.answeredAt === null;
    if (action.kind === "answer" && ringing) this.connectDial(state, dial);
    // A softphone that hangs up a call still ringing declines it, like reject.
    else if ((action.kind === "reject" || action.kind === "hangup") && ringing) await this.finishDial(state, "busy");
    else if (action.kind === "hangup") await this.finishDial(state, "completed");
    else if (action.kind === "digits" && !ringing && action.digits) {
      dial.digits += action.digits;
      state.heard.push({ kind: "system", text: `(the agent pressed ${action.digits})`, language: null });
    }
  }

  private connectDial(state: SimCall, dial: SimDial): void {
    dial.answeredAt = this.clock();
    state.connectedTo = dial.to;
    state.outcome = `connected to ${dial.to}`;
  }

  /**
   * <Dial>: rings one leg (<Client>, <Number> or the number as text) for up to `timeout` seconds (default 30). A
   * <Client> rings only a registered softphone; one that is not registered has nobody to ring, and the dial ends at
   * once with no-answer (the Voice SDK receives calls only while its Device is registered:
   * https://www.twilio.com/docs/voice/sdks/javascript/twiliodevice#deviceregister). The caller is connected only when
   * the leg answers (https://www.twilio.com/docs/voice/twiml/dial, https://www.twilio.com/docs/voice/twiml/client).
   */
  private async dial(state: SimCall, verb: TwimlNode, rest: TwimlNode[]): Promise<void> {
    const noun = verb.children.find((child) => child.name === "Client" || child.name === "Number" || child.name === "Sip");
    const kind = noun?.name === "Client" ? "client" : "number";
    const address = (noun ? noun.text : verb.text).trim();
    const timeout = Number.parseInt(verb.attrs.timeout ?? "", 10);
    const dial: SimDial = {
      to: `${kind}:${address}`,
      kind,
      address,
      dialCallSid: sid("CA"),
      action: verb.attrs.action ?? null,
      method: verb.attrs.method ?? "POST",
      timeoutSeconds: timeout > 0 ? timeout : DEFAULT_DIAL_TIMEOUT_SECONDS,
      startedAt: this.clock(),
      answeredAt: null,
      after: rest,
      actionsApplied: 0,
      digits: "",
    };
    state.dial = dial;
    state.status = "dial";
    state.gather = null;
    state.connectedTo = null;
    state.outcome = `ringing ${dial.to}`;
    if (kind !== "client") return;
    const softphones = this.options.softphones;
    if (!softphones || !(await softphones.isRegistered(address))) return this.finishDial(state, "no-answer");
    await softphones.ring({
      dialCallSid: dial.dialCallSid,
      callSid: state.callSid,
      identity: address,
      from: state.from,
      to: state.to,
      ringingAt: new Date(dial.startedAt).toISOString(),
      timeoutSeconds: dial.timeoutSeconds,
    });
  }

  /**
   * The <Dial> ends: Twilio posts DialCallStatus and DialCallSid (and DialCallDuration once answered) to the action
   * and runs the TwiML answered; without an action it goes on with the verbs after the <Dial>, and ends the call when
   * there are none (https://www.twilio.com/docs/voice/twiml/dial#action).
   */
  private async finishDial(state: SimCall, status: "completed" | "busy" | "no-answer" | "failed" | "canceled"): Promise<void> {
    const dial = state.dial;
    if (!dial) return;
    state.dial = null;
    state.connectedTo = null;
    state.outcome = status === "completed" ? `talked with ${dial.to}` : `${dial.to} did not answer (${status})`;
    if (dial.kind === "client") {
      const reason: SoftphoneEndReason = status === "completed" ? "completed" : status === "busy" ? "rejected" : status === "no-answer" ? "no-answer" : "canceled";
      await this.options.softphones?.ended({ dialCallSid: dial.dialCallSid, callSid: state.callSid, identity: dial.address }, reason);
    }
    const params: Record<string, string> = { DialCallStatus: status, DialCallSid: dial.dialCallSid };
    if (dial.answeredAt !== null) params.DialCallDuration = String(Math.max(0, Math.round((this.clock() - dial.answeredAt) / 1000)));
    if (dial.action) await this.fetchAndRun(state, dial.action, dial.method, params);
    else await this.run(state, dial.after);
  }

  /**
   * The caller hangs up during a <Dial>: the dialled leg is dropped (a ringing softphone stops), and Twilio still
   * requests the action with the leg's status (completed once answered, else canceled); what it answers is not run,
   * the caller being gone (https://www.twilio.com/docs/voice/twiml/dial#action).
   */
  private async callerLeftDial(state: SimCall): Promise<void> {
    const dial = state.dial;
    if (!dial) return;
    state.dial = null;
    if (dial.kind === "client") await this.options.softphones?.ended({ dialCallSid: dial.dialCallSid, callSid: state.callSid, identity: dial.address }, "caller-hangup");
    if (!dial.action) return;
    const params: Record<string, string> = { DialCallStatus: dial.answeredAt !== null ? "completed" : "canceled", DialCallSid: dial.dialCallSid };
    if (dial.answeredAt !== null) params.DialCallDuration = String(Math.max(0, Math.round((this.clock() - dial.answeredAt) / 1000)));
    await this.post(state, dial.action, dial.method, params);
  }

  private baseParams(state: SimCall): Record<string, string> {
    return {
      AccountSid: state.accountSid,
      ApiVersion: "2010-04-01",
      CallSid: state.callSid,
      CallStatus: "in-progress",
      Called: state.to,
      Caller: state.from,
      Direction: state.direction ?? "inbound",
      From: state.from,
      To: state.to,
    };
  }

  private async queueParams(state: SimCall): Promise<Record<string, string>> {
    if (!state.queue) return {};
    const place = await this.queues.position(state.queue.name, state.callSid);
    return {
      QueueSid: `QU${Buffer.from(state.queue.name).toString("hex").padEnd(32, "0").slice(0, 32)}`,
      QueuePosition: String(Math.max(place.position, 1)),
      CurrentQueueSize: String(place.size),
      AvgQueueTime: String(place.averageWaitSeconds),
      QueueTime: String(Math.round((this.clock() - state.queue.joinedAt) / 1000)),
      MaxQueueSize: "100",
    };
  }

  /**
   * Posts a signed webhook and returns the answer's body, or the failure as Twilio counts it: no answer within
   * TWILIO_WEBHOOK_TIMEOUT_MS or no connection (11205), an HTTP status other than 200 (11200).
   */
  private async send(state: SimCall, url: string, method: string, extra: Record<string, string>): Promise<{ body: string } | WebhookFailure> {
    const params = { ...this.baseParams(state), ...extra };
    const get = method.toUpperCase() === "GET";
    const target = get ? `${url}${url.includes("?") ? "&" : "?"}${new URLSearchParams(params)}` : url;
    const signature = twilio.getExpectedTwilioSignature(this.options.authToken, target, get ? {} : params);
    const timeoutMs = this.options.webhookTimeoutMs ?? TWILIO_WEBHOOK_TIMEOUT_MS;
    const abort = new AbortController();
    let response: { status: number; body: string } | null = null;
    let failure: WebhookFailure | null = null;
    try {
      const sent = (this.options.transport ?? fetchTransport)(target, {
        method: get ? "GET" : "POST",
        headers: { "X-Twilio-Signature": signature, ...(get ? {} : { "Content-Type": "application/x-www-form-urlencoded" }), "User-Agent": "TwilioProxy/1.1 (simulator)" },
        ...(get ? {} : { body: new URLSearchParams(params).toString() }),
        signal: abort.signal,
      });
      sent.catch(() => undefined); // after the deadline its failure (the abort) is nobody's concern
      response = await withDeadline(sent, timeoutMs);
    } catch (error) {
      abort.abort();
      failure = { code: 11205, reason: error instanceof DeadlineExceeded ? `no answer within ${timeoutMs / 1000} s` : `HTTP connection failure (${(error as Error).message})` };
    }
    if (response && response.status !== 200) failure = { code: 11200, reason: `HTTP ${response.status}` };
    state.requests.push({ url, status: response?.status ?? 0, ...(failure ? { errorCode: failure.code } : {}) });
    if (state.requests.length > 60) state.requests.splice(0, state.requests.length - 60);
    return failure ?? { body: response!.body };
  }

  /**
   * Posts a signed webhook; returns the TwiML text, or null when it failed. A failed status callback changes nothing
   * (`callback`); any other failure goes to the number's fallback URL (inbound calls) or ends the call with Twilio's
   * application error.
   */
  private async post(state: SimCall, url: string, method: string, extra: Record<string, string>, options: { callback?: boolean } = {}): Promise<string | null> {
    const answer = await this.send(state, url, method, extra);
    if ("body" in answer) return answer.body;
    if (!options.callback) await this.failed(state, url, answer);
    return null;
  }

  /**
   * A webhook failed while the call runs (https://www.twilio.com/docs/usage/security/availability-reliability): Twilio
   * requests the number's Voice Fallback URL with ErrorCode and ErrorUrl and runs its TwiML; without one, or when the
   * fallback fails too, the caller hears the application error and the call ends. Returns the fallback's document.
   */
  private async failed(state: SimCall, url: string, failure: WebhookFailure, allowFallback = true): Promise<TwimlNode | null> {
    const path = (() => { try { return new URL(url).pathname; } catch { return url; } })();
    const fallbackUrl = this.options.fallbackUrl;
    if (allowFallback && fallbackUrl && (state.direction ?? "inbound") === "inbound" && url !== fallbackUrl) {
      state.heard.push({ kind: "system", text: `(error ${failure.code} on ${path}: ${failure.reason}; Twilio asks the fallback URL)`, language: null });
      if (state.queue) await this.queues.leave(state.queue.name, state.callSid, this.clock());
      state.queue = null;
      state.gather = null;
      state.record = null;
      const answer = await this.send(state, fallbackUrl, "POST", { ErrorCode: String(failure.code), ErrorUrl: url });
      if ("body" in answer) {
        try {
          return this.checked(answer.body);
        } catch (error) {
          return this.failed(state, fallbackUrl, this.refusal(error), false);
        }
      }
      return this.failed(state, fallbackUrl, answer, false);
    }
    state.heard.push({ kind: "system", text: `We are sorry, an application error has occurred (error ${failure.code}: ${failure.reason}). Goodbye.`, language: "en-US" });
    state.outcome = `application error: ${failure.reason} from ${path} (error ${failure.code})`;
    await this.end(state, true);
    return null;
  }

  /**
   * Parses TwiML and checks it against Twilio's documented verbs, nouns, attributes and nesting for where it was
   * fetched (server/twilio/twiml-schema.ts); throws InvalidTwimlError for what Twilio refuses: not XML (error 12100,
   * https://www.twilio.com/docs/errors/12100) or not TwiML Twilio's schema accepts (12200,
   * https://www.twilio.com/docs/errors/12200). Never kinder than Twilio: either fails the call.
   */
  private checked(xml: string, context: TwimlContext = "call"): TwimlNode {
    const document = parseTwiml(xml);
    const issues = validateTwiml(document, context);
    if (issues.length > 0) throw new TwimlSchemaError(issues.map((issue) => `${issue.path}: ${issue.message}`).join("; "), xml);
    return document;
  }

  private refusal(error: unknown): WebhookFailure {
    return { code: error instanceof TwimlSchemaError ? 12200 : 12100, reason: `invalid TwiML: ${(error as Error).message}` };
  }

  /**
   * Fetches the TwiML of a webhook, as Twilio executes it: the document, or the fallback URL's document when the
   * webhook failed; null when the call ended (the application error).
   */
  private async fetchTwiml(state: SimCall, url: string, method: string, extra: Record<string, string>, context: TwimlContext = "call"): Promise<TwimlNode | null> {
    const answer = await this.send(state, url, method, extra);
    if (!("body" in answer)) return this.failed(state, url, answer);
    try {
      return this.checked(answer.body, context);
    } catch (error) {
      return this.failed(state, url, this.refusal(error));
    }
  }

  private async fetchAndRun(state: SimCall, url: string, method: string, extra: Record<string, string>, inQueue = false): Promise<void> {
    const document = await this.fetchTwiml(state, url, method, extra, inQueue ? "waitUrl" : "call");
    if (document === null) return;
    state.lastTwiml = document;
    // A fallback document runs as a fresh document, out of any queue.
    await this.run(state, document.children, inQueue && state.queue !== null);
  }

  private async requestWait(state: SimCall): Promise<void> {
    if (!state.queue) return;
    await this.fetchAndRun(state, state.queue.waitUrl, state.queue.waitMethod, await this.queueParams(state), true);
  }

  /** Executes verbs in order until one waits for the caller. `inQueue`: the wait URL's document. */
  private async run(state: SimCall, verbs: TwimlNode[], inQueue = false, depth = 0): Promise<void> {
    if (depth > (this.options.maxDocuments ?? 40)) throw new Error("too many TwiML documents without caller input (redirect loop?)");
    for (let index = 0; index < verbs.length; index++) {
      const verb = verbs[index]!;
      const rest = verbs.slice(index + 1);
      switch (verb.name) {
        case "Say":
          state.heard.push({ kind: "say", text: verb.text, language: verb.attrs.language ?? null });
          break;
        case "Play":
          state.heard.push({ kind: "play", text: verb.text, language: null });
          break;
        case "Pause":
          break;
        case "Gather":
          for (const child of verb.children) {
            if (child.name === "Say") state.heard.push({ kind: "say", text: child.text, language: child.attrs.language ?? null });
            if (child.name === "Play") state.heard.push({ kind: "play", text: child.text, language: null });
          }
          state.gather = {
            action: verb.attrs.action ?? "",
            method: verb.attrs.method ?? "POST",
            actionOnEmptyResult: verb.attrs.actionOnEmptyResult === "true",
            finishOnKey: verb.attrs.finishOnKey ?? "#",
            after: rest,
            inQueue,
          };
          if (!inQueue) {
            state.status = "gather";
            state.outcome = "in the menu";
          }
          return;
        case "Redirect": {
          const document = await this.fetchTwiml(state, verb.text, verb.attrs.method ?? "POST", inQueue ? await this.queueParams(state) : {}, inQueue ? "waitUrl" : "call");
          if (document === null) return;
          state.lastTwiml = document;
          return this.run(state, document.children, inQueue && state.queue !== null, depth + 1);
        }
        case "Enqueue": {
          const joinedAt = this.clock();
          state.queue = { name: verb.text, waitUrl: verb.attrs.waitUrl ?? "", waitMethod: verb.attrs.waitUrlMethod ?? "POST", action: verb.attrs.action ?? null, method: verb.attrs.method ?? "POST", joinedAt };
          state.status = "queue";
          state.outcome = `waiting in queue ${verb.text}`;
          await this.queues.join(verb.text, state.callSid, joinedAt);
          if (state.queue.waitUrl) await this.requestWait(state);
          return;
        }
        case "Leave": {
          if (!inQueue || !state.queue) break;
          const queue = state.queue;
          const params = await this.queueParams(state);
          await this.queues.leave(queue.name, state.callSid, this.clock());
          state.queue = null;
          state.gather = null;
          state.outcome = `left queue ${queue.name}`;
          if (!queue.action) return this.end(state);
          const document = await this.fetchTwiml(state, queue.action, queue.method, { QueueResult: "leave", QueueSid: params.QueueSid!, QueueTime: params.QueueTime! });
          if (document === null) return;
          state.lastTwiml = document;
          await this.run(state, document.children, false, depth + 1);
          if (state.status === "queue" && state.queue === null) await this.end(state);
          return;
        }
        case "Record":
          state.status = "record";
          state.outcome = "recording a message";
          state.record = { action: verb.attrs.action ?? null, method: verb.attrs.method ?? "POST", after: rest };
          return;
        case "Dial":
          return this.dial(state, verb, rest);
        case "Hangup":
        case "Reject":
          if (state.outcome.startsWith("in the menu") || state.outcome === "ringing") state.outcome = "the desk hung up";
          else if (!state.outcome.includes("hung up")) state.outcome = `${state.outcome}; the desk hung up`;
          return this.end(state);
        default:
          state.heard.push({ kind: "system", text: `(unknown verb <${verb.name}> ignored)`, language: null });
      }
    }
    // The end of a document: in the queue Twilio asks the wait URL again (the caller decides when); elsewhere it hangs up.
    if (inQueue && state.queue) return;
    if (state.status !== "ended") {
      state.outcome = state.outcome === "in the menu" ? "the desk hung up" : state.outcome;
      await this.end(state);
    }
  }

  private async end(state: SimCall, skipCallback = false): Promise<void> {
    if (state.status === "ended") return;
    state.status = "ended";
    state.gather = null;
    state.record = null;
    if (state.queue) await this.queues.leave(state.queue.name, state.callSid, this.clock());
    state.queue = null;
    const duration = Math.max(1, Math.round((this.clock() - state.startedAt) / 1000));
    // Twilio knows the call is over whether or not its status callback reaches the desk.
    await this.options.ledger?.record(state.callSid, { status: "completed", durationSeconds: duration, endedAt: new Date(this.clock()) });
    // An outbound call reports on the status callback its Calls API request named; an inbound one on the number's.
    if (state.outbound) await this.statusCallback(state, "completed", { CallStatus: "completed", CallDuration: String(duration) }).catch(() => null);
    else if (this.options.statusUrl && !skipCallback) {
      await this.post(state, this.options.statusUrl, "POST", { CallStatus: "completed", CallDuration: String(duration) }, { callback: true }).catch(() => null);
    }
  }
}

/** Redirect URLs SimulatedTwilioClient logged for this call, oldest first (the persistent side of its pub/sub). */
export async function simulatedRedirects(redis: Redis, prefix: string, callSid: string): Promise<string[]> {
  const lines = await redis.lrange(`${prefix}:twilio-sim:requests`, 0, -1);
  return lines
    .map((line) => JSON.parse(line) as { kind: string; sid?: string; params: Record<string, string> })
    .filter((request) => (request.kind === "redirectQueueMember" || request.kind === "redirectCall") && request.sid === callSid)
    .map((request) => request.params.url!)
    .filter(Boolean);
}

/**
 * Waits up to `timeoutMs` for SimulatedTwilioClient to publish a redirect of this call on
 * `${prefix}:twilio-sim:redirect:<CallSid>` (an agent accepted it); resolves with the URL or null.
 */
export async function waitForRedirect(redis: Redis, prefix: string, callSid: string, timeoutMs: number, alreadyFollowed = 0): Promise<string | null> {
  const subscriber = redis.duplicate();
  subscriber.on("error", () => undefined); // a Redis outage ends the wait through the timeout
  try {
    const channel = `${prefix}:twilio-sim:redirect:${callSid}`;
    const published = new Promise<string>((resolve) => subscriber.on("message", (_channel, url: string) => resolve(url)));
    await subscriber.subscribe(channel);
    // A redirect published before we subscribed is in the request log.
    const logged = await simulatedRedirects(redis, prefix, callSid);
    if (logged.length > alreadyFollowed) return logged[alreadyFollowed]!;
    // `published` never fails: the only way out besides a message is the deadline.
    return await withDeadline(published, timeoutMs).catch(() => null);
  } finally {
    subscriber.disconnect();
  }
}
