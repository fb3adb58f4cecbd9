import { apiFetch } from "../lib/api.js";
import type { SimCallView, SimConfig, SimIncomingCall } from "./types.js";

/** The phone simulator's server API (/sim), which plays Twilio against the desk. */
export const simApi = {
  config: () => apiFetch<SimConfig>("/sim/config"),
  dial: (from: string) => apiFetch<SimCallView>("/sim/calls", { method: "POST", body: { from } }),
  refresh: (callSid: string, announce: boolean) => apiFetch<SimCallView>(`/sim/calls/${callSid}${announce ? "?announce=1" : ""}`),
  press: (callSid: string, digits: string) => apiFetch<SimCallView>(`/sim/calls/${callSid}/press`, { method: "POST", body: { digits } }),
  silence: (callSid: string) => apiFetch<SimCallView>(`/sim/calls/${callSid}/silence`, { method: "POST", body: {} }),
  leaveMessage: (callSid: string, seconds: number) => apiFetch<SimCallView>(`/sim/calls/${callSid}/message`, { method: "POST", body: { seconds } }),
  /** The dialled phone of a <Number> leg answers, declines, or hangs up (nobody answers a real phone in simulation). */
  phoneLeg: (callSid: string, action: "answer" | "reject" | "hangup") => apiFetch<SimCallView>(`/sim/calls/${callSid}/dial/${action}`, { method: "POST", body: {} }),
  hangup: (callSid: string) => apiFetch<SimCallView>(`/sim/calls/${callSid}/hangup`, { method: "POST", body: {} }),
  incoming: (to: string) => apiFetch<{ calls: SimIncomingCall[] }>(`/sim/incoming?to=${encodeURIComponent(to)}`),
  answerIncoming: (callSid: string, by: "person" | "voicemail") => apiFetch<SimCallView>(`/sim/incoming/${callSid}/answer`, { method: "POST", body: { by } }),
  declineIncoming: (callSid: string) => apiFetch<SimCallView>(`/sim/incoming/${callSid}/decline`, { method: "POST", body: { as: "busy" } }),
};
