import type { Language } from "../entities/enums.js";

/** Where the Twilio router is mounted. */
export const TWILIO_MOUNT = "/twilio";

/**
 * Every webhook path of the desk, relative to TWILIO_MOUNT, defined once: the router mounts these and the
 * flows build their TwiML URLs from them. `voice`, `status` and `fallback` are the public ones configured on the number.
 */
export const TWILIO_ROUTES = {
  /** Voice URL of the desk's number (first request of a call). */
  voice: "/voice",
  /** Status callback of the desk's number (call ended, duration). */
  status: "/status",
  /** Voice Fallback URL of the desk's number: Twilio asks it when the Voice URL fails; needs no database. */
  fallback: "/fallback",
  /** An IVR step answering a <Gather>: /ivr/<step>?seq=&lang=. */
  step: "/ivr/:step",
  /** <Enqueue waitUrl>: position, estimate, callback offer. */
  queueWait: "/queue/wait",
  /** The callback key pressed while waiting. */
  queueKey: "/queue/key",
  /** <Enqueue action>: the caller left the queue (answered, hung up, callback). */
  queueExit: "/queue/exit",
  /** <Record action>: the voicemail is recorded. */
  recording: "/recording",
  /** Where an accepted queue member is redirected: dials the agent. */
  connectAgent: "/connect-agent",
  /** <Dial action> of the agent's leg: how the dial ended (completed, busy, no-answer, failed, canceled). */
  dialAction: "/dial-action",
  /** TwiML of the outbound callback call once the person answers. */
  callbackBridge: "/callback-bridge",
  /** Status callback of the outbound callback call: answered, busy, no answer. */
  callbackStatus: "/callback-status",
} as const;

/** Absolute URLs of the flow, built from the public base URL at request time. */
export interface FlowUrls {
  voice: string;
  status: string;
  /** The number's Voice Fallback URL. */
  fallback: string;
  step(step: string, seq: number, language: Language | null): string;
  /** `general`: the technical fallback's desk-general, which the desk may not know the caller is in (q=general). */
  queueWait(language: Language | null, callbackOffered: boolean, general?: boolean): string;
  queueKey(language: Language | null, callbackOffered: boolean): string;
  queueExit(language: Language | null): string;
  recording(language: Language | null): string;
  connectAgent(agentId: number): string;
  dialAction(agentId: number, language: Language | null): string;
  callbackBridge(callbackId: number, agentId: number): string;
  callbackStatus(callbackId: number): string;
}

/** The flow's URLs under `baseUrl` (PUBLIC_BASE_URL or the test server's own URL). */
export function flowUrls(baseUrl: string): FlowUrls {
  const root = baseUrl.replace(/\/$/, "") + TWILIO_MOUNT;
  const query = (params: Record<string, string | number | null>) => {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(params)) if (value !== null) search.set(key, String(value));
    const text = search.toString();
    return text ? `?${text}` : "";
  };
  return {
    voice: root + TWILIO_ROUTES.voice,
    status: root + TWILIO_ROUTES.status,
    fallback: root + TWILIO_ROUTES.fallback,
    step: (step, seq, language) => `${root}/ivr/${encodeURIComponent(step)}${query({ seq, lang: language })}`,
    queueWait: (language, offered, general = false) => root + TWILIO_ROUTES.queueWait + query({ lang: language, cb: offered ? 1 : 0, q: general ? "general" : null }),
    queueKey: (language, offered) => root + TWILIO_ROUTES.queueKey + query({ lang: language, cb: offered ? 1 : 0 }),
    queueExit: (language) => root + TWILIO_ROUTES.queueExit + query({ lang: language }),
    recording: (language) => root + TWILIO_ROUTES.recording + query({ lang: language }),
    connectAgent: (agentId) => root + TWILIO_ROUTES.connectAgent + query({ agentId }),
    dialAction: (agentId, language) => root + TWILIO_ROUTES.dialAction + query({ agentId, lang: language }),
    callbackBridge: (callbackId, agentId) => root + TWILIO_ROUTES.callbackBridge + query({ callbackId, agentId }),
    callbackStatus: (callbackId) => root + TWILIO_ROUTES.callbackStatus + query({ callbackId }),
  };
}

/** Hold music played between announcements in the queue (Twilio's public hold-music bucket). */
export const HOLD_MUSIC_URL = "http://com.twilio.music.classical.s3.amazonaws.com/BusyStrings.mp3";

/** Queue names: one per language, and the general one for callers whose language is unknown. */
export function queueName(language: Language | null): string {
  return language ? `desk-${language}` : "desk-general";
}

export const GENERAL_QUEUE = "desk-general";
