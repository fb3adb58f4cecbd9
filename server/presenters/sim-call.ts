import type { SimCall } from "../twilio/simulator.js";

/** What the simulator page shows of a simulated call (an explicit field list; never the stored state as is). */
export interface SimCallView {
  callSid: string;
  from: string;
  to: string;
  /** inbound (the phone simulator rang the desk) or outbound-api (the desk calls back). */
  direction: "inbound" | "outbound-api";
  status: SimCall["status"];
  /** What the caller can do now: press keys, wait in the queue, leave a message, talk, or nothing. */
  waitingFor: "keys" | "queue" | "message" | "agent" | "nothing";
  /** True when the queue announcements accept a key (the callback offer). */
  queueKeys: boolean;
  heard: { kind: string; text: string; language: string | null }[];
  outcome: string;
  connectedTo: string | null;
  /** What a <Dial> rings, while it rings (connectedTo once answered). */
  ringing: string | null;
  queue: string | null;
}

/** Presents a simulated call for the simulator page. */
export function presentSimCall(call: SimCall): SimCallView {
  const waitingFor =
    call.status === "gather" ? "keys" : call.status === "queue" ? "queue" : call.status === "record" ? "message" : call.status === "dial" ? "agent" : "nothing";
  return {
    callSid: call.callSid,
    from: call.from,
    to: call.to,
    direction: call.direction ?? "inbound",
    status: call.status,
    waitingFor,
    queueKeys: call.status === "queue" && call.gather !== null,
    heard: call.heard.map((line) => ({ kind: line.kind, text: line.text, language: line.language })),
    outcome: call.outcome,
    connectedTo: call.connectedTo,
    ringing: call.dial && call.dial.answeredAt === null ? call.dial.to : null,
    queue: call.queue?.name ?? null,
  };
}
