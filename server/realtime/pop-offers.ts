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

/** Replaces the set of agents shown the pop of a call. */
export async function replaceOffers(store: OffersStore, callId: number, agentIds: number[]): Promise<void> {
  const key = offersKey(store, callId);
  const multi = store.redis.multi().del(key);
  if (agentIds.length > 0) multi.sadd(key, ...agentIds.map(String)).expire(key, OFFERS_TTL_SECONDS);
  await multi.exec();
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

/** True once a call's pop was closed for good: a refresh built from older state must not show it again. */
export async function isClosed(store: OffersStore, callId: number): Promise<boolean> {
  return (await store.redis.exists(closedKey(store, callId))) === 1;
}
