import type { Redis } from "ioredis";
import type { SoftphoneEndReason, SoftphoneEnded, SoftphoneIncoming } from "../../shared-types/socket-events.js";
import type { SimSoftphones, SoftphoneAction } from "./simulator.js";

/** A simulated softphone's registration lasts this long unless the console sends `softphone:register` again. */
export const SOFTPHONE_REGISTRATION_TTL_SECONDS = 60;
/** Rings, and what the softphones did, are kept this long (a call longer than that has long ended). */
const RING_TTL_SECONDS = 4 * 3600;

/** What travels on the bus channel, from the simulator (any process) to every app instance. */
export type SoftphoneBusMessage = { type: "incoming"; ring: SoftphoneIncoming } | { type: "ended"; identity: string; ended: SoftphoneEnded };

/**
 * The simulated softphones, in Redis so every app instance, `npm run call`, the /sim routes and the tests share them:
 * - registrations: per Client identity a sorted set of devices (socket ids) scored by when they expire;
 * - rings: the leg ringing an identity (until it ends), and the set of those still ringing it;
 * - actions: what a softphone did (answer, reject, hangup, digits), per caller's CallSid, which the simulator takes
 *   when it looks at the call (TwilioSimulator.pollDial);
 * - a pub/sub channel on which rings and their ends reach the app instances, each pushing to its own sockets.
 */
export class RedisSoftphoneBus implements SimSoftphones {
  constructor(private readonly redis: Redis, private readonly prefix: string, private readonly clock: () => number = Date.now) {}

  /** The channel each app instance subscribes to. */
  get channel(): string {
    return `${this.prefix}:softphone:events`;
  }
  private registeredKey(identity: string) {
    return `${this.prefix}:softphone:registered:${identity}`;
  }
  private ringKey(dialCallSid: string) {
    return `${this.prefix}:softphone:ring:${dialCallSid}`;
  }
  private ringingKey(identity: string) {
    return `${this.prefix}:softphone:ringing:${identity}`;
  }
  private actionsKey(callSid: string) {
    return `${this.prefix}:softphone:actions:${callSid}`;
  }

  /** Registers (or refreshes) one device of an identity for `ttlSeconds`. */
  async register(identity: string, deviceId: string, ttlSeconds = SOFTPHONE_REGISTRATION_TTL_SECONDS): Promise<void> {
    const now = this.clock();
    const key = this.registeredKey(identity);
    await this.redis.multi().zremrangebyscore(key, "-inf", now).zadd(key, now + ttlSeconds * 1000, deviceId).pexpire(key, ttlSeconds * 1000).exec();
  }

  async unregister(identity: string, deviceId: string): Promise<void> {
    await this.redis.zrem(this.registeredKey(identity), deviceId);
  }

  /** Every device of the identity (logout, offline). */
  async unregisterAll(identity: string): Promise<void> {
    await this.redis.del(this.registeredKey(identity));
  }

  async isRegistered(identity: string): Promise<boolean> {
    return (await this.redis.zcount(this.registeredKey(identity), `(${this.clock()}`, "+inf")) > 0;
  }

  async ring(ring: SoftphoneIncoming): Promise<void> {
    const message: SoftphoneBusMessage = { type: "incoming", ring };
    await this.redis
      .multi()
      .set(this.ringKey(ring.dialCallSid), JSON.stringify(ring), "EX", RING_TTL_SECONDS)
      .sadd(this.ringingKey(ring.identity), ring.dialCallSid)
      .expire(this.ringingKey(ring.identity), RING_TTL_SECONDS)
      .publish(this.channel, JSON.stringify(message))
      .exec();
  }

  async ended(ring: { dialCallSid: string; callSid: string; identity: string }, reason: SoftphoneEndReason): Promise<void> {
    const message: SoftphoneBusMessage = { type: "ended", identity: ring.identity, ended: { dialCallSid: ring.dialCallSid, callSid: ring.callSid, reason } };
    await this.redis.multi().del(this.ringKey(ring.dialCallSid)).srem(this.ringingKey(ring.identity), ring.dialCallSid).publish(this.channel, JSON.stringify(message)).exec();
  }

  /** The leg, while it rings or is connected; null once over (or never rung). */
  async ringOf(dialCallSid: string): Promise<SoftphoneIncoming | null> {
    const stored = await this.redis.get(this.ringKey(dialCallSid));
    return stored ? (JSON.parse(stored) as SoftphoneIncoming) : null;
  }

  /** The legs still ringing this identity (answered ones are no longer ringing). */
  async ringing(identity: string): Promise<SoftphoneIncoming[]> {
    const sids = await this.redis.smembers(this.ringingKey(identity));
    if (sids.length === 0) return [];
    const stored = await this.redis.mget(sids.map((sid) => this.ringKey(sid)));
    return stored.filter((value): value is string => value !== null).map((value) => JSON.parse(value) as SoftphoneIncoming);
  }

  /** Records what a softphone did; an answer also takes the leg off the ringing list. */
  async act(ring: SoftphoneIncoming, action: SoftphoneAction): Promise<void> {
    const key = this.actionsKey(ring.callSid);
    const multi = this.redis.multi().rpush(key, JSON.stringify(action)).expire(key, RING_TTL_SECONDS);
    if (action.kind === "answer" || action.kind === "reject") multi.srem(this.ringingKey(ring.identity), ring.dialCallSid);
    await multi.exec();
  }

  async actions(callSid: string): Promise<SoftphoneAction[]> {
    return (await this.redis.lrange(this.actionsKey(callSid), 0, -1)).map((line) => JSON.parse(line) as SoftphoneAction);
  }
}
