import express, { Router } from "express";
import { z } from "zod";
import { RedisOutboundCalls } from "../../twilio/simulator.js";
import { flowUrls } from "../../../ivr-flows/urls.js";
import type { AppContext } from "../../context.js";
import { notFound } from "../../errors/http-error.js";
import { validate } from "../../errors/validation.js";
import { presentSimCall } from "../../presenters/sim-call.js";
import { simulatorGate } from "./gate.js";
import { RedisCallLedger, RedisQueueRegistry, simulatedRedirects, TwilioSimulator, type SimCall } from "../../twilio/simulator.js";
import { RedisSoftphoneBus } from "../../twilio/softphone-bus.js";

/** Simulated calls live in Redis for this long after their last action. */
const SIM_CALL_TTL_SECONDS = 2 * 3600;

const startSchema = z.object({
  from: z.string().trim().min(1).max(40),
  to: z.string().trim().regex(/^\+[1-9]\d{6,14}$/, "must be an E.164 number").optional(),
});
const pressSchema = z.object({ digits: z.string().regex(/^[0-9*#]{1,20}$/, "must be 1 to 20 keys of 0-9, * and #") });
const messageSchema = z.object({ seconds: z.number().int().min(1).max(600).default(12) });
const dialActionSchema = z.enum(["answer", "reject", "hangup"], { message: "must be answer, reject or hangup" });
const sidSchema = z.string().regex(/^CA[0-9a-f]{32}$/, "is not a simulated CallSid");
/** How long an outbound call rings before Twilio gives up when the Calls API named no Timeout. */
const DEFAULT_RING_SECONDS = 60;
const incomingSchema = z.object({ to: z.string().trim().regex(/^\+[1-9]\d{6,14}$/, "must be an E.164 number").optional() });
/** Who picks up the desk's outbound call: the person, or their voicemail (a machine, for machine detection). */
const answerSchema = z.object({ by: z.enum(["person", "voicemail"]).default("person") });
/** How the phone refuses it: declined (busy) or left ringing until it rings out (no-answer). */
const declineSchema = z.object({ as: z.enum(["busy", "no-answer"]).default("busy") });

/**
 * The phone simulator's API (simulation on the simulation token only, behind a desk login: see ./gate.ts). The server plays Twilio
 * against its own public URL with the simulator library; each simulated call's state is kept in Redis, so any
 * instance serves the next request. Used by agent-ui/simulator.html.
 */
export function simulatorRouter(context: AppContext): Router {
  const router = Router();
  router.use(simulatorGate(context), express.json({ limit: "10kb" }));

  const prefix = context.env.REDIS_PREFIX;
  const key = (callSid: string) => `${prefix}:twilio-sim:call:${callSid}`;
  const simulator = () => {
    const urls = flowUrls(context.baseUrl);
    return new TwilioSimulator({
      authToken: context.env.TWILIO_AUTH_TOKEN, voiceUrl: urls.voice, statusUrl: urls.status, fallbackUrl: urls.fallback, queues: new RedisQueueRegistry(context.redis, prefix), ledger: new RedisCallLedger(context.redis, prefix),
      // The consoles' simulated softphones, which a <Dial><Client> rings.
      softphones: new RedisSoftphoneBus(context.redis, prefix),
    });
  };
  const outbound = new RedisOutboundCalls(context.redis, prefix);
  const load = async (raw: unknown): Promise<SimCall> => {
    const callSid = validate(sidSchema, raw);
    const stored = await context.redis.get(key(callSid));
    if (!stored) throw notFound(`Simulated call ${callSid}`);
    return JSON.parse(stored) as SimCall;
  };
  const save = async (call: SimCall) => {
    await context.redis.set(key(call.callSid), JSON.stringify(call), "EX", SIM_CALL_TTL_SECONDS);
    return presentSimCall(call);
  };

  router.get("/config", (_req, res) => {
    res.json({ deskNumber: context.env.DESK_PHONE_NUMBER, defaultFrom: "+32470123456" });
  });

  /** The desk's outbound calls ringing (a callback): to one number, or all. */
  router.get("/incoming", async (req, res) => {
    const { to } = validate(incomingSchema, req.query);
    // A call rings for its Timeout (Twilio's default 60 s), then ends as no-answer: those found past it ring out now.
    // https://www.twilio.com/docs/voice/api/call-resource#timeout
    const now = Date.now();
    const calls = [];
    for (const call of await outbound.ringing(to)) {
      if (now - call.placedAt < (call.timeout ?? DEFAULT_RING_SECONDS) * 1000) calls.push(call);
      else {
        const taken = await outbound.take(call.callSid);
        if (taken) await simulator().unansweredOutbound(await simulator().ringOutbound(taken), "no-answer");
      }
    }
    res.json({ calls: calls.map((call) => ({ callSid: call.callSid, from: call.from, to: call.to, placedAt: new Date(call.placedAt).toISOString() })) });
  });

  /** Picks up a ringing outbound call: the person (AnsweredBy human) or their voicemail (machine_end_beep). */
  router.post("/incoming/:callSid/answer", async (req, res) => {
    const callSid = validate(sidSchema, req.params.callSid);
    const { by } = validate(answerSchema, req.body ?? {});
    const ringing = await outbound.take(callSid);
    if (!ringing) throw notFound(`A ringing call ${callSid}`);
    const sim = simulator();
    const call = await sim.ringOutbound(ringing);
    await sim.answerOutbound(call, by === "person" ? "human" : "machine_end_beep");
    res.status(201).json(await save(call));
  });

  /** Refuses a ringing outbound call: declined (busy) or let ring out (no-answer). */
  router.post("/incoming/:callSid/decline", async (req, res) => {
    const callSid = validate(sidSchema, req.params.callSid);
    const { as } = validate(declineSchema, req.body ?? {});
    const ringing = await outbound.take(callSid);
    if (!ringing) throw notFound(`A ringing call ${callSid}`);
    const sim = simulator();
    const call = await sim.ringOutbound(ringing);
    await sim.unansweredOutbound(call, as);
    res.json(await save(call));
  });

  router.post("/calls", async (req, res) => {
    const body = validate(startSchema, req.body);
    const call = await simulator().start({ from: body.from, to: body.to ?? context.env.DESK_PHONE_NUMBER });
    res.status(201).json(await save(call));
  });

  /** The call as it is now; a call in a queue follows an agent's accept (a redirect the simulated client logged). */
  router.get("/calls/:callSid", async (req, res) => {
    const call = await load(req.params.callSid);
    if (call.status === "queue") {
      const redirects = await simulatedRedirects(context.redis, prefix, call.callSid);
      if (redirects.length > call.redirectsFollowed) await simulator().redirect(call, redirects[call.redirectsFollowed]!);
      else if (req.query.announce === "1") await simulator().waitInQueue(call);
    }
    // A <Dial> moves on when its softphone answered, declined or hung up, or when it rang out.
    if (call.status === "dial") await simulator().pollDial(call);
    res.json(await save(call));
  });

  router.post("/calls/:callSid/press", async (req, res) => {
    const call = await load(req.params.callSid);
    const { digits } = validate(pressSchema, req.body);
    if (!call.gather) throw notFound("A menu waiting for keys on this call");
    await simulator().press(call, digits);
    res.json(await save(call));
  });

  router.post("/calls/:callSid/silence", async (req, res) => {
    const call = await load(req.params.callSid);
    if (!call.gather) throw notFound("A menu waiting for keys on this call");
    await simulator().silence(call);
    res.json(await save(call));
  });

  router.post("/calls/:callSid/message", async (req, res) => {
    const call = await load(req.params.callSid);
    const { seconds } = validate(messageSchema, req.body ?? {});
    if (call.status !== "record") throw notFound("A voicemail recording on this call");
    await simulator().recordMessage(call, seconds);
    res.json(await save(call));
  });

  /**
   * The dialled phone of a <Number> leg answers, declines, or hangs up after talking: in simulation nobody answers a
   * real phone, so the simulator page says so. A <Client> leg is the agent's softphone's to answer (softphone:* events).
   */
  router.post("/calls/:callSid/dial/:action", async (req, res) => {
    const call = await load(req.params.callSid);
    const action = validate(dialActionSchema, req.params.action);
    const dial = call.dial;
    if (call.status !== "dial" || !dial || dial.kind !== "number") throw notFound("A phone (<Number>) leg dialled on this call");
    const ringing = dial.answeredAt === null;
    if (action === "hangup" ? ringing : !ringing) throw notFound(ringing ? "A connected phone leg on this call" : "A ringing phone leg on this call");
    const sim = simulator();
    if (action === "answer") await sim.answerDial(call);
    else if (action === "reject") await sim.rejectDial(call);
    else await sim.hangupDial(call);
    res.json(await save(call));
  });

  router.post("/calls/:callSid/hangup", async (req, res) => {
    const call = await load(req.params.callSid);
    await simulator().hangup(call);
    res.json(await save(call));
  });
  return router;
}
