import type { Redis } from "ioredis";

/** How long the record of who was offered a call is kept. */
const OFFERS_TTL_SECONDS = 6 * 3600;

interface OffersStore {
  redis: Redis;
  env: { REDIS_PREFIX: string };
}

/**
 * Who is shown a call's pop, kept in Redis so every instance sees the same record: an accept checks it (an
 * agent without the caller's language may take the call only when it was offered to them as the fallback).
 */
const offersKey = (store: OffersStore, callId: number) => `${store.env.REDIS_PREFIX}:screenpop:offers:${callId}`;

/** The agents currently shown the pop of a call. */
export async function offeredAgents(store: OffersStore, callId: number): Promise<number[]> {
  return (await store.redis.smembers(offersKey(store, callId))).map(Number);
}

/**
 * Replaces the set of agents shown the pop of a call, unless the pop was closed for good meanwhile (then nothing
 * changes and the answer is false: the pop must not be sent). One atomic step, so a close cannot fall between.
 */
const REPLACE_UNLESS_CLOSED = `
if redis.call("EXISTS", KEYS[2]) == 1 then return 0 end
redis.call("DEL", KEYS[1])
if #ARGV > 1 then
  redis.call("SADD", KEYS[1], unpack(ARGV, 2))
  redis.call("EXPIRE", KEYS[1], ARGV[1])
end
return 1`;

export async function replaceOffersUnlessClosed(store: OffersStore, callId: number, agentIds: number[]): Promise<boolean> {
  const open = await store.redis.eval(REPLACE_UNLESS_CLOSED, 2, offersKey(store, callId), closedKey(store, callId), OFFERS_TTL_SECONDS, ...agentIds.map(String));
  return open === 1;
}

/** Adds one agent to those shown the pop of a call. */
export async function addOffer(store: OffersStore, callId: number, agentId: number): Promise<void> {
  const key = offersKey(store, callId);
  await store.redis.multi().sadd(key, String(agentId)).expire(key, OFFERS_TTL_SECONDS).exec();
}

/** True when this agent is shown the pop of this call. */
export async function wasOffered(store: OffersStore, callId: number, agentId: number): Promise<boolean> {
  return (await store.redis.sismember(offersKey(store, callId), String(agentId))) === 1;
}

/** Forgets who was offered a call (it was accepted or ended). */
export async function clearOffers(store: OffersStore, callId: number): Promise<void> {
  await store.redis.del(offersKey(store, callId));
}

const closedKey = (store: OffersStore, callId: number) => `${store.env.REDIS_PREFIX}:screenpop:closed:${callId}`;

/** Remembers that a call's pop was closed for good (accepted or ended), before the close is sent. */
export async function markClosed(store: OffersStore, callId: number): Promise<void> {
  await store.redis.set(closedKey(store, callId), "1", "EX", OFFERS_TTL_SECONDS);
}
