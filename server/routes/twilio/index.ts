import express, { Router, type Request, type Response } from "express";
import { withCommitDeadline } from "../../deadline.js";
import type { Language } from "../../../entities/enums.js";
import { technicalFallbackTwiml } from "../../../ivr-flows/bridge.js";
import { queueExitTwiml, queueWaitTwiml } from "../../../ivr-flows/queue.js";
import { flowUrls, TWILIO_ROUTES } from "../../../ivr-flows/urls.js";
import { agentConnector } from "../../commands/ivr/agent-connector.js";
import { dialActionRecorder } from "../../commands/ivr/dial-action-recorder.js";
import { callStatusRecorder } from "../../commands/ivr/call-status-recorder.js";
import { callbackOutcomeRecorder } from "../../commands/callback-outcome-recorder.js";
import { callbackBridger } from "../../commands/ivr/callback-bridger.js";
import { ivrStepRunner, languageParam } from "../../commands/ivr/ivr-step-runner.js";
import { queueCallbackRequester } from "../../commands/ivr/queue-callback-requester.js";
import { queueExitRecorder } from "../../commands/ivr/queue-exit-recorder.js";
import { queueWaitAnswerer } from "../../commands/ivr/queue-wait-answerer.js";
import { withDeadline } from "../../deadline.js";
import { voicemailRecorder } from "../../commands/ivr/voicemail-recorder.js";
import type { AppContext } from "../../context.js";
import { requireTwilioSignature } from "./signature.js";

const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>';

/** A POST parameter as a string, or null when absent or not a single value. */
const text = (value: unknown): string | null => (typeof value === "string" ? value : null);
/** A non-negative integer parameter, or null. */
const count = (value: unknown): number | null => (typeof value === "string" && /^\d{1,9}$/.test(value) ? Number(value) : null);

/**
 * How long a webhook may work before the caller gets the fallback instead: well inside Twilio's 15 s timeout (after
 * which Twilio fails the request with 11205 and asks the Voice Fallback URL: https://www.twilio.com/docs/errors/11205),
 * with room for a busy machine. A database that stops answering (rather than refusing) would otherwise hold the caller
 * in silence until Twilio gives up. Work that misses it never commits (withCommitDeadline): the caller was told the fallback.
 */
export const WEBHOOK_DEADLINE_MS = 10_000;
/** A transaction that claimed its commit just before the deadline is waited for this long more (10 + 3 s < 15 s). */
export const WEBHOOK_COMMIT_GRACE_MS = 3_000;

/**
 * Twilio webhooks (SPEC §4): the Voice URL (POST /twilio/voice) and status callback (POST /twilio/status) of the
 * desk's number, its Voice Fallback URL (POST /twilio/fallback), and the flow's own step URLs (ivr-flows/urls.ts). Every request must carry a valid signature
 * (403 otherwise, nothing stored). Twilio never gets an error: if a step fails or hangs (database or Redis down) the
 * caller hears an apology in their language and waits in the general queue.
 */
export function twilioRouter(context: AppContext): Router {
  const router = Router();
  router.use(express.urlencoded({ extended: false, limit: "16kb", parameterLimit: 100 }));
  // A body that is not a form (wrong content type, none at all) reads as no parameters, never as undefined.
  router.use((req, _res, next) => {
    req.body ??= {};
    next();
  });
  router.use(requireTwilioSignature(context));

  /** Sends TwiML; on failure logs and sends `fallback` (default: apology + general queue). */
  const answer = (name: string, work: (req: Request, language: Language | null) => Promise<string>, fallback?: (req: Request, language: Language | null) => string) =>
    async (req: Request, res: Response) => {
      const language = languageParam(req.query.lang);
      let xml: string;
      try {
        xml = await withCommitDeadline(() => work(req, language), context.webhookDeadlineMs ?? WEBHOOK_DEADLINE_MS, WEBHOOK_COMMIT_GRACE_MS);
      } catch (error) {
        context.logger.error({ err: error, webhook: name, callSid: text(req.body?.CallSid) }, "Twilio webhook failed; caller sent to the general queue");
        xml = fallback ? fallback(req, language) : technicalFallbackTwiml(language, flowUrls(context.baseUrl)).toString();
      }
      res.status(200).type("text/xml").send(xml);
    };
  const callSid = (req: Request) => {
    const sid = text(req.body?.CallSid);
    if (!sid || sid.length > 64) throw new Error("webhook without a usable CallSid");
    return sid;
  };

  router.post(TWILIO_ROUTES.voice, answer("voice", (req) =>
    ivrStepRunner(context, { callSid: callSid(req), step: "start", seq: null, digits: null, from: text(req.body.From), to: text(req.body.To) })));

  // Voice Fallback URL: Twilio requests it when the Voice URL errors or times out (an unreachable or crashing app
  // behind a still-answering proxy). It touches neither database nor Redis, so it answers whatever is down.
  // https://www.twilio.com/docs/usage/security/availability-reliability (Fallback URLs: ErrorCode, ErrorUrl)
  router.post(TWILIO_ROUTES.fallback, (req, res) => {
    res.status(200).type("text/xml").send(technicalFallbackTwiml(languageParam(req.query.lang), flowUrls(context.baseUrl)).toString());
  });

  router.post(TWILIO_ROUTES.step, answer("step", (req) =>
    ivrStepRunner(context, { callSid: callSid(req), step: String(req.params.step), seq: count(req.query.seq), digits: text(req.body.Digits), from: text(req.body.From), to: text(req.body.To) })));

  router.post(TWILIO_ROUTES.status, answer("status",
    (req) => callStatusRecorder(context, { callSid: callSid(req), status: text(req.body.CallStatus) ?? "", durationSeconds: count(req.body.CallDuration) }),
    () => EMPTY_TWIML));

  const queueWait = (req: Request, language: Language | null) => ({ callSid: text(req.body.CallSid), language, callbackOffered: req.query.cb === "1", general: req.query.q === "general", from: text(req.body.From), to: text(req.body.To), twilioPosition: count(req.body.QueuePosition), queueSize: count(req.body.CurrentQueueSize), averageWaitSeconds: count(req.body.AvgQueueTime), waitedSeconds: count(req.body.QueueTime) });
  // A wait URL document may hold only Play, Say, Pause, Hangup, Redirect, Leave and Gather: when the database fails the
  // fallback is the same announcement with Twilio's position and no estimate, never the technical fallback's <Enqueue>.
  // https://www.twilio.com/docs/voice/twiml/enqueue#waiturl
  router.post(TWILIO_ROUTES.queueWait, answer("queue-wait",
    (req, language) => queueWaitAnswerer(context, queueWait(req, language)),
    (req, language) => { const input = queueWait(req, language); return queueWaitTwiml({ ...input, position: input.twilioPosition, speakersOnDuty: 0 }, flowUrls(context.baseUrl)).toString(); }));

  router.post(TWILIO_ROUTES.queueKey, answer("queue-key", (req, language) =>
    queueCallbackRequester(context, { callSid: callSid(req), digits: text(req.body.Digits), language, callbackOffered: req.query.cb === "1" })));

  router.post(TWILIO_ROUTES.queueExit, answer("queue-exit",
    (req, language) => queueExitRecorder(context, { callSid: callSid(req), result: text(req.body.QueueResult) ?? "", queueTime: count(req.body.QueueTime), language }),
    (req, language) => queueExitTwiml(language, text(req.body.QueueResult) ?? "").toString()));

  router.post(TWILIO_ROUTES.recording, answer("recording", (req, language) =>
    voicemailRecorder(context, { callSid: callSid(req), recordingUrl: text(req.body.RecordingUrl), recordingSid: text(req.body.RecordingSid), durationSeconds: count(req.body.RecordingDuration), language })));

  router.post(TWILIO_ROUTES.connectAgent, answer("connect-agent", (req, language) =>
    agentConnector(context, { callSid: callSid(req), agentId: count(req.query.agentId), language })));

  router.post(TWILIO_ROUTES.dialAction, answer("dial-action", (req, language) =>
    dialActionRecorder(context, { callSid: callSid(req), agentId: count(req.query.agentId), dialCallStatus: text(req.body.DialCallStatus) ?? "", dialCallSid: text(req.body.DialCallSid), language })));

  router.post(TWILIO_ROUTES.callbackBridge, answer("callback-bridge", (req) =>
    callbackBridger(context, { callbackId: count(req.query.callbackId), agentId: count(req.query.agentId), callSid: text(req.body.CallSid), answeredBy: text(req.body.AnsweredBy) })));

  router.post(TWILIO_ROUTES.callbackStatus, answer("callback-status",
    async (req) => {
      await callbackOutcomeRecorder(context, { callbackId: count(req.query.callbackId), callSid: text(req.body.CallSid), callStatus: text(req.body.CallStatus) ?? "" });
      return EMPTY_TWIML;
    },
    () => EMPTY_TWIML));

  // A signed request to a path the flow does not have: still valid TwiML, never an error.
  router.use(answer("unknown", async () => { throw new Error("unknown Twilio webhook path"); }));
  return router;
}
