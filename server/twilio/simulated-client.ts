import { randomBytes } from "node:crypto";
import type { Redis } from "ioredis";
import type { OutboundCallRequest, TwilioCallRecord, TwilioRestClient } from "./client.js";
import { RedisCallLedger, RedisOutboundCalls, RedisQueueRegistry } from "./simulator.js";

/** A REST request the simulated Twilio received; the phone simulator and tests read these from Redis. */
export interface SimulatedRestRequest {
  kind: "sms" | "call" | "redirectQueueMember" | "redirectCall";
  sid?: string;
  params: Record<string, string>;
  at: string;
}

/**
 * What the twilio library throws for a REST error (RestException: status, code, moreInfo). Twilio answers an update
 * of a Queue Member that is not (or no longer) in that queue with 404, error 20404:
 * https://www.twilio.com/docs/voice/api/member-resource and https://www.twilio.com/docs/errors/20404
 */
export class SimulatedTwilioRestError extends Error {
  constructor(readonly status: number, readonly code: number, message: string) {
    super(message);
    this.name = "RestException";
  }
  get moreInfo(): string {
    return `https://www.twilio.com/docs/errors/${this.code}`;
  }
}

const sid = (prefix: string) => `${prefix}${randomBytes(16).toString("hex")}`;

/**
 * Plays Twilio's REST side without an account: every request is appended to a Redis list (shared by all
 * instances) and, for redirects, published so the simulator that holds the call follows the new URL.
 */
export class SimulatedTwilioClient implements TwilioRestClient {
  readonly simulated = true;

  /** Twilio's record of the calls: the phone simulator writes those it rings in, createCall those it places. */
  readonly ledger: RedisCallLedger;

  /** The simulator's queues (same Redis and prefix): who is a member, as Twilio's Queue Members API knows it. */
  readonly queues: RedisQueueRegistry;

  /** The outbound calls placed and still ringing, for the phone simulator (or a test) to answer, decline or ring out. */
  readonly outbound: RedisOutboundCalls;

  constructor(private readonly redis: Redis, private readonly keyPrefix: string) {
    this.ledger = new RedisCallLedger(redis, keyPrefix);
    this.queues = new RedisQueueRegistry(redis, keyPrefix);
    this.outbound = new RedisOutboundCalls(redis, keyPrefix);
  }

  /** Redis list of every simulated REST request, newest last. */
  get requestsKey(): string {
    return `${this.keyPrefix}:twilio-sim:requests`;
  }

  /** Redis channel on which redirects of a call are announced: `${channel}:${callSid}`. */
  get redirectChannel(): string {
    return `${this.keyPrefix}:twilio-sim:redirect`;
  }

  async sendSms(message: { to: string; from: string; body: string }) {
    const messageSid = sid("SM");
    await this.log({ kind: "sms", sid: messageSid, params: message });
    return { sid: messageSid };
  }

  /**
   * Places an outbound call as the Calls API does: Twilio answers with the CallSid at once (status queued) and the call
   * rings at `to` until it is answered, declined or rings out; the simulator plays that part (TwilioSimulator.ringOutbound).
   */
  async createCall(call: OutboundCallRequest) {
    const callSid = sid("CA");
    await this.log({
      kind: "call",
      sid: callSid,
      params: {
        to: call.to,
        from: call.from,
        url: call.url,
        statusCallback: call.statusCallback ?? "",
        ...(call.statusCallbackEvent ? { statusCallbackEvent: call.statusCallbackEvent.join(" ") } : {}),
        ...(call.machineDetection ? { machineDetection: call.machineDetection } : {}),
        ...(call.timeout ? { timeout: String(call.timeout) } : {}),
      },
    });
    await this.ledger.record(callSid, { status: "queued", durationSeconds: null, endedAt: null });
    await this.outbound.place({ ...call, callSid, placedAt: Date.now() });
    return { sid: callSid };
  }

  async redirectQueueMember(member: { queueName: string; callSid: string; url: string }) {
    await this.log({ kind: "redirectQueueMember", sid: member.callSid, params: member });
    // Never kinder than Twilio: a call that is not waiting in that queue (hung up, already dequeued) is a 404.
    if (!(await this.queues.isMember(member.queueName, member.callSid))) {
      throw new SimulatedTwilioRestError(404, 20404, `The requested resource /Queues/${member.queueName}/Members/${member.callSid}.json was not found`);
    }
    await this.redis.publish(`${this.redirectChannel}:${member.callSid}`, member.url);
  }

  async redirectCall(call: { callSid: string; url: string }) {
    await this.log({ kind: "redirectCall", sid: call.callSid, params: call });
    await this.redis.publish(`${this.redirectChannel}:${call.callSid}`, call.url);
  }

  /** What the simulated Twilio knows of a call: the record the simulator keeps of the calls it places. */
  async fetchCall(callSid: string): Promise<TwilioCallRecord | null> {
    return this.ledger.lookup(callSid);
  }

  /** Every request so far (for the simulator page and tests). */
  async requests(): Promise<SimulatedRestRequest[]> {
    return (await this.redis.lrange(this.requestsKey, 0, -1)).map((line) => JSON.parse(line) as SimulatedRestRequest);
  }

  private async log(request: Omit<SimulatedRestRequest, "at">) {
    await this.redis.rpush(this.requestsKey, JSON.stringify({ ...request, at: new Date().toISOString() }));
    await this.redis.ltrim(this.requestsKey, -5000, -1);
  }
}
