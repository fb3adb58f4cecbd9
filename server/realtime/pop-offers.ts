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

/** Whether the agents were picked for the caller's language or as the fallback (R8), as their pops say. */
const offerKindKey = (store: OffersStore, callId: number) => `${store.env.REDIS_PREFIX}:screenpop:offer-kind:${callId}`;

const REPLACE_UNLESS_CLOSED = `
if redis.call("EXISTS", KEYS[2]) == 1 then return false end
local previous = redis.call("GET", KEYS[3]) or ""
redis.call("DEL", KEYS[1])
if #ARGV > 2 then
  redis.call("SADD", KEYS[1], unpack(ARGV, 3))
  redis.call("EXPIRE", KEYS[1], ARGV[1])
end
redis.call("SET", KEYS[3], ARGV[2], "EX", ARGV[1])
return previous`;

/**
 * Replaces the set of agents shown the pop of a call and the kind of offer, unless the pop was closed for good
 * meanwhile: then nothing changes and the answer is null (the pop must not be sent). Otherwise the answer is the
 * kind of the previous offer ("" when there was none). One atomic step, so a close cannot fall between.
 */
export async function replaceOffersUnlessClosed(store: OffersStore, callId: number, agentIds: number[], kind: string): Promise<string | null> {
  const previous = await store.redis.eval(REPLACE_UNLESS_CLOSED, 3, offersKey(store, callId), closedKey(store, callId), offerKindKey(store, callId), OFFERS_TTL_SECONDS, kind, ...agentIds.map(String));
  return typeof previous === "string" ? previous : null;
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
  await store.redis.del(offersKey(store, callId), offerKindKey(store, callId));
}

const closedKey = (store: OffersStore, callId: number) => `${store.env.REDIS_PREFIX}:screenpop:closed:${callId}`;

/** Remembers that a call's pop was closed for good (accepted or ended), before the close is sent. */
export async function markClosed(store: OffersStore, callId: number): Promise<void> {
  await store.redis.set(closedKey(store, callId), "1", "EX", OFFERS_TTL_SECONDS);
}

/** True once a call's pop was closed for good: a pop built from older state must not be shown again. */
export async function isClosed(store: OffersStore, callId: number): Promise<boolean> {
  return (await store.redis.exists(closedKey(store, callId))) === 1;
}
