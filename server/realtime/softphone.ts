import { z } from "zod";
import { Agent } from "../../entities/Agent.js";
import { agentIdentity } from "../../ivr-flows/bridge.js";
import type { SoftphoneAnswer, SoftphoneRegisterAnswer } from "../../shared-types/socket-events.js";
import { isSimulation } from "../config/env.js";
import type { AppContext } from "../context.js";
import { RedisSoftphoneBus, SOFTPHONE_REGISTRATION_TTL_SECONDS, type SoftphoneBusMessage } from "../twilio/softphone-bus.js";
import type { SoftphoneAction } from "../twilio/simulator.js";
import { agentRoom, type RealtimeServer, type RealtimeSocket } from "./types.js";

const legSchema = z.object({ dialCallSid: z.string().regex(/^CA[0-9a-f]{32}$/, "dialCallSid must be a CallSid") });
const digitsSchema = legSchema.extend({ digits: z.string().regex(/^[0-9*#]{1,32}$/, "digits must be 1 to 32 keys of 0-9, * and #") });

/** The agent an identity agent-<id> belongs to, or null. */
export function agentOfIdentity(identity: string): number | null {
  const match = /^agent-(\d+)$/.exec(identity);
  return match ? Number(match[1]) : null;
}

/** The bus of this app (its Redis, its prefix). */
export function softphoneBus(context: AppContext): RedisSoftphoneBus {
  return new RedisSoftphoneBus(context.redis, context.env.REDIS_PREFIX);
}

/** Splits `(payload?, ack?)` as sent (the ack may come alone). */
function payloadAndAck<A>(args: unknown[]): { payload: unknown; ack: (answer: A) => void } {
  const ack = typeof args.at(-1) === "function" ? (args.pop() as (answer: A) => void) : () => undefined;
  return { payload: args[0], ack };
}

const LIVE_REFUSAL = "the simulated softphone exists only in simulation mode (the Voice SDK registers with Twilio)";

/**
 * The simulated softphone's socket events (simulation mode only; refused in live mode). A console registers its
 * agent's Client identity in Redis, gets the rings the phone simulator sends that identity, and answers, rejects,
 * hangs up or sends keys: each recorded on the bus, where the simulator takes it when it next looks at the call.
 */
export function handleSoftphoneEvents(socket: RealtimeSocket, context: AppContext): void {
  const { agentId } = socket.data;
  const identity = agentIdentity(agentId);
  const bus = softphoneBus(context);
  const failed = (ack: (answer: { error: string }) => void, what: string) => (error: unknown) => {
    context.logger.warn({ err: error, agentId }, `softphone ${what} failed`);
    ack({ error: `the softphone could not ${what}; try again` });
  };

  socket.on("softphone:register", (...args: unknown[]) => {
    const { ack } = payloadAndAck<SoftphoneRegisterAnswer>(args);
    if (!isSimulation(context.env)) return ack({ error: LIVE_REFUSAL, live: true });
    void (async () => {
      const agent = await context.dataSource.getRepository(Agent).findOneBy({ id: agentId, active: true });
      if (!agent || agent.status === "offline") return ack({ error: "an offline agent takes no calls: choose a status first" });
      if (!socket.connected) return;
      await bus.register(identity, socket.id);
      ack({ identity, ttlSeconds: SOFTPHONE_REGISTRATION_TTL_SECONDS, ringing: await bus.ringing(identity) });
    })().catch(failed(ack, "register"));
  });

  socket.on("softphone:unregister", (...args: unknown[]) => {
    const { ack } = payloadAndAck<SoftphoneAnswer>(args);
    if (!isSimulation(context.env)) return ack({ error: LIVE_REFUSAL });
    bus.unregister(identity, socket.id).then(() => ack({ ok: true }), failed(ack, "unregister"));
  });

  const onLeg = (event: "softphone:answer" | "softphone:reject" | "softphone:hangup" | "softphone:digits", kind: SoftphoneAction["kind"]) => {
    socket.on(event, (...args: unknown[]) => {
      const { payload, ack } = payloadAndAck<SoftphoneAnswer>(args);
      if (!isSimulation(context.env)) return ack({ error: LIVE_REFUSAL });
      const parsed = (kind === "digits" ? digitsSchema : legSchema).safeParse(payload);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        return ack({ error: issue && issue.path.length > 0 ? `${issue.path.join(".")}: ${issue.message}` : `send { dialCallSid${kind === "digits" ? ", digits" : ""} }` });
      }
      const { dialCallSid } = parsed.data;
      void (async () => {
        const ring = await bus.ringOf(dialCallSid);
        if (!ring || ring.identity !== identity) return ack({ error: "no such call rings or is connected to this agent" });
        if (kind === "answer") {
          // Twilio stops ringing the leg at its timeout: a later answer finds nothing to pick up.
          if (Date.parse(ring.ringingAt) + ring.timeoutSeconds * 1000 < Date.now()) return ack({ error: "the call stopped ringing" });
          if (!(await bus.ringing(identity)).some((leg) => leg.dialCallSid === dialCallSid)) return ack({ error: "the call was already answered or declined" });
        }
        const action: SoftphoneAction = { kind, dialCallSid, ...("digits" in parsed.data ? { digits: String(parsed.data.digits) } : {}) };
        await bus.act(ring, action);
        // The agent's other tabs stop ringing: this one took it.
        if (kind === "answer") socket.to(agentRoom(agentId)).emit("softphone:ended", { dialCallSid, callSid: ring.callSid, reason: "answered-elsewhere" });
        ack({ ok: true });
      })().catch(failed(ack, kind));
    });
  };
  onLeg("softphone:answer", "answer");
  onLeg("softphone:reject", "reject");
  onLeg("softphone:hangup", "hangup");
  onLeg("softphone:digits", "digits");

  socket.on("disconnect", () => {
    if (!isSimulation(context.env)) return;
    bus.unregister(identity, socket.id).catch((error) => context.logger.warn({ err: error, agentId }, "softphone unregister on disconnect failed"));
  });
}

/** An agent going offline (or logging out) takes no more calls on any of their softphones. */
export async function unregisterSoftphones(context: AppContext, agentId: number): Promise<void> {
  if (!isSimulation(context.env)) return;
  await softphoneBus(context).unregisterAll(agentIdentity(agentId));
}

/**
 * Relays the phone simulator's rings (which may run in another process) to the consoles of this instance: every
 * instance subscribes, and each pushes to its own sockets only (io.local), so a console gets one copy.
 */
export function relaySoftphoneRings(io: RealtimeServer, context: AppContext): { close(): void } {
  if (!isSimulation(context.env)) return { close: () => undefined };
  const bus = softphoneBus(context);
  const subscriber = context.redis.duplicate();
  subscriber.on("error", (error) => context.logger.warn({ err: error }, "softphone relay: Redis error"));
  subscriber.on("message", (_channel, raw: string) => {
    let message: SoftphoneBusMessage;
    try {
      message = JSON.parse(raw) as SoftphoneBusMessage;
    } catch {
      return;
    }
    const identity = message.type === "incoming" ? message.ring.identity : message.identity;
    const agentId = agentOfIdentity(identity);
    if (agentId === null) return;
    if (message.type === "incoming") io.local.to(agentRoom(agentId)).emit("softphone:incoming", message.ring);
    else io.local.to(agentRoom(agentId)).emit("softphone:ended", message.ended);
  });
  subscriber.subscribe(bus.channel).catch((error) => context.logger.warn({ err: error }, "softphone relay: subscribe failed"));
  return { close: () => subscriber.disconnect() };
}
