import type { Redis } from "ioredis";
import type { OutboxProcessor } from "../events/publisher.js";
import { createRedis } from "../redis/connection.js";

/**
 * The two connections of the Socket.IO Redis adapter. The adapter publishes without handling the promise, so
 * while Redis is down every emit would be an unhandled rejection that ends the process (Node's default): a
 * failed publish is caught here. What it carried is not lost: see `whileRedisUp`.
 */
export function adapterRedis(url: string, prefix: string): { pub: Redis; sub: Redis } {
  const names = adapterConnectionNames(prefix);
  const pub = createRedis(url, { name: names.pub });
  const sub = createRedis(url, { name: names.sub });
  const publish = pub.publish.bind(pub) as (...args: unknown[]) => Promise<number>;
  pub.publish = ((...args: unknown[]) => {
    const sent = publish(...args);
    sent.catch(() => undefined);
    return sent;
  }) as Redis["publish"];
  return { pub, sub };
}

/**
 * Refuses outbox messages while the adapter's connection is down (once it has been up): an emit then would reach
 * this instance's consoles only. The message stays unpublished and the drainer sends it once Redis is back.
 */
export function whileRedisUp(processor: OutboxProcessor, pub: Redis): OutboxProcessor {
  let wasReady = pub.status === "ready";
  if (!wasReady) pub.once("ready", () => (wasReady = true));
  return {
    ...processor,
    async handle(message) {
      if (wasReady && pub.status !== "ready") throw new Error(`Redis is ${pub.status}: not pushed to the consoles (the outbox keeps it)`);
      await processor.handle(message);
    },
  };
}

/** The names the adapter's two Redis connections carry (CLIENT LIST), so an operator or a test can tell them apart. */
export function adapterConnectionNames(prefix: string): { pub: string; sub: string } {
  return { pub: `${prefix}:socket.io-pub`, sub: `${prefix}:socket.io-sub` };
}

/**
 * Calls `listener` each time the adapter's subscriber is subscribed again after a lost connection (not on the
 * first connection). Redis does not keep what was published meanwhile: another instance may have sent this
 * one's consoles a pop while this subscriber was reconnecting, after its own connection was back.
 */
export function onResubscribed(sub: Redis, listener: () => void): void {
  let subscribedBefore = false;
  sub.on("ready", () => {
    if (!subscribedBefore) {
      subscribedBefore = true;
      return;
    }
    // ioredis sends the subscriptions again right after "ready"; a PING answered after them means they are in place.
    sub.ping().then(listener, () => undefined);
  });
}
