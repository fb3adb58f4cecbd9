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
 * Beside it: whether they were picked for the caller's language or as the fallback (R8), as their pops say, and
 * whether the pop was closed for good (accepted or ended). Every change is one atomic step that refuses a closed
 * call, so a pop built from state read before the close is never offered again.
 */
const offersKey = (store: OffersStore, callId: number) => `${store.env.REDIS_PREFIX}:screenpop:offers:${callId}`;
const offerKindKey = (store: OffersStore, callId: number) => `${store.env.REDIS_PREFIX}:screenpop:offer-kind:${callId}`;
const closedKey = (store: OffersStore, callId: number) => `${store.env.REDIS_PREFIX}:screenpop:closed:${callId}`;
const keys = (store: OffersStore, callId: number) => [offersKey(store, callId), closedKey(store, callId), offerKindKey(store, callId)];

const REPLACE_UNLESS_CLOSED = `
if redis.call("EXISTS", KEYS[2]) == 1 then return false end
local before = redis.call("SMEMBERS", KEYS[1])
local kind = redis.call("GET", KEYS[3]) or ""
redis.call("DEL", KEYS[1])
if #ARGV > 2 then
  redis.call("SADD", KEYS[1], unpack(ARGV, 3))
  redis.call("EXPIRE", KEYS[1], ARGV[1])
end
redis.call("SET", KEYS[3], ARGV[2], "EX", ARGV[1])
return {kind, before}`;

const ADD_UNLESS_CLOSED = `
if redis.call("EXISTS", KEYS[2]) == 1 then return 0 end
redis.call("SADD", KEYS[1], ARGV[2])
redis.call("EXPIRE", KEYS[1], ARGV[1])
return 1`;

/** The scripts above as commands of a connection (ioredis sends EVALSHA, and the script itself only after NOSCRIPT). */
interface OfferCommands {
  replaceOffersUnlessClosed(offers: string, closed: string, kind: string, ttlSeconds: number, newKind: string, ...agentIds: string[]): Promise<[string, string[]] | null>;
  addOfferUnlessClosed(offers: string, closed: string, ttlSeconds: number, agentId: string): Promise<number>;
}

const withCommands = new WeakSet<Redis>();

/** The connection with the offer scripts defined on it (once per connection). */
function offerCommands(redis: Redis): OfferCommands {
  if (!withCommands.has(redis)) {
    redis.defineCommand("replaceOffersUnlessClosed", { numberOfKeys: 3, lua: REPLACE_UNLESS_CLOSED });
    redis.defineCommand("addOfferUnlessClosed", { numberOfKeys: 2, lua: ADD_UNLESS_CLOSED });
    withCommands.add(redis);
  }
  return redis as unknown as OfferCommands;
}

/**
 * Replaces the agents shown the pop of a call and the kind of offer; answers who was shown it before and with
 * which kind ("" when none), or null when the pop was closed for good meanwhile (it must not be sent).
 */
export async function replaceOffersUnlessClosed(store: OffersStore, callId: number, agentIds: number[], kind: string): Promise<{ previous: number[]; previousKind: string } | null> {
  const [offers, closed, offerKind] = keys(store, callId) as [string, string, string];
  const answer = await offerCommands(store.redis).replaceOffersUnlessClosed(offers, closed, offerKind, OFFERS_TTL_SECONDS, kind, ...agentIds.map(String));
  return answer ? { previousKind: answer[0], previous: answer[1].map(Number) } : null;
}

/** Adds one agent to those shown the pop of a call; false when the pop was closed for good (do not show it). */
export async function addOfferUnlessClosed(store: OffersStore, callId: number, agentId: number): Promise<boolean> {
  return (await offerCommands(store.redis).addOfferUnlessClosed(offersKey(store, callId), closedKey(store, callId), OFFERS_TTL_SECONDS, String(agentId))) === 1;
}

/** True when this agent is shown the pop of this call. */
export async function wasOffered(store: OffersStore, callId: number, agentId: number): Promise<boolean> {
  return (await store.redis.sismember(offersKey(store, callId), String(agentId))) === 1;
}

/** Closes a call's pop for good (accepted or ended) and forgets the offer; answers who was shown it. */
export async function closeOffers(store: OffersStore, callId: number): Promise<number[]> {
  const results = await store.redis
    .multi()
    .set(closedKey(store, callId), "1", "EX", OFFERS_TTL_SECONDS)
    .smembers(offersKey(store, callId))
    .del(offersKey(store, callId), offerKindKey(store, callId))
    .exec();
  const [error, members] = results?.[1] ?? [new Error("Redis refused the transaction"), null];
  if (error) throw error;
  return (members as string[]).map(Number);
}

/** Reopens a call's pop closed by an accept that was undone, so it may be offered again. */
export async function reopenOffers(store: OffersStore, callId: number): Promise<void> {
  await store.redis.del(closedKey(store, callId));
}

/** True once a call's pop was closed for good: a pop built from older state must not be shown again. */
export async function isClosed(store: OffersStore, callId: number): Promise<boolean> {
  return (await store.redis.exists(closedKey(store, callId))) === 1;
}
