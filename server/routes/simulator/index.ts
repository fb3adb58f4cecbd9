import express, { Router } from "express";
import { z } from "zod";
import { flowUrls } from "../../../ivr-flows/urls.js";
import type { AppContext } from "../../context.js";
import { notFound } from "../../errors/http-error.js";
import { validate } from "../../errors/validation.js";
import { presentSimCall } from "../../presenters/sim-call.js";
import { simulatorGate } from "./gate.js";
import { RedisCallLedger, RedisQueueRegistry, simulatedRedirects, TwilioSimulator, type SimCall } from "../../twilio/simulator.js";

/** Simulated calls live in Redis for this long after their last action. */
const SIM_CALL_TTL_SECONDS = 2 * 3600;

const startSchema = z.object({
  from: z.string().trim().min(1).max(40),
  to: z.string().trim().regex(/^\+[1-9]\d{6,14}$/, "must be an E.164 number").optional(),
});
const pressSchema = z.object({ digits: z.string().regex(/^[0-9*#]{1,20}$/, "must be 1 to 20 keys of 0-9, * and #") });
const messageSchema = z.object({ seconds: z.number().int().min(1).max(600).default(12) });
const sidSchema = z.string().regex(/^CA[0-9a-f]{32}$/, "is not a simulated CallSid");

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
    return new TwilioSimulator({ authToken: context.env.TWILIO_AUTH_TOKEN, voiceUrl: urls.voice, statusUrl: urls.status, queues: new RedisQueueRegistry(context.redis, prefix), ledger: new RedisCallLedger(context.redis, prefix) });
  };
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

  router.post("/calls/:callSid/hangup", async (req, res) => {
    const call = await load(req.params.callSid);
    await simulator().hangup(call);
    res.json(await save(call));
  });
  return router;
}
