/** A simulated call as GET/POST /sim/calls answer it (server/presenters/sim-call.ts). */
export interface SimCallView {
  callSid: string;
  from: string;
  to: string;
  direction: "inbound" | "outbound-api";
  status: "gather" | "queue" | "record" | "dial" | "ended" | "ringing";
  waitingFor: "keys" | "queue" | "message" | "agent" | "nothing";
  queueKeys: boolean;
  heard: { kind: "say" | "play" | "system"; text: string; language: string | null }[];
  outcome: string;
  connectedTo: string | null;
  /** What a <Dial> rings, while it rings. */
  ringing: string | null;
  queue: string | null;
}

export interface SimConfig {
  deskNumber: string;
  defaultFrom: string;
}

/** An outbound call of the desk ringing at the simulated phone (GET /sim/incoming). */
export interface SimIncomingCall {
  callSid: string;
  from: string;
  to: string;
  placedAt: string;
}
