/**
 * The Socket.IO contract between server/realtime and agent-ui. Events are emitted only by the realtime
 * outbox processor, after the transaction that caused them committed. Rooms: `agent:<id>`, `lang:<nl|fr|en|de>`
 * (one per language the agent speaks), `supervisors` (supervisor and admin accounts), `ticket:<id>` (consoles that
 * show that ticket and asked to watch it).
 */
import type { AgentPayload, AgentRef, AgentRole, CallPayload, Language, ScreenPop, SupervisorMetrics } from "./console-payloads.js";

export type * from "./console-payloads.js";

/** Why a pop disappears from an agent's screen. */
export type ScreenPopCloseReason =
  /** An agent accepted the call (acceptedBy says who). */
  | "accepted"
  /** The caller hung up or left the queue (callback). */
  | "ended"
  /** The caller went on to leave a message: nobody can take the call any more. */
  | "voicemail"
  /** The call is now offered to other agents (this agent is no longer available, or a speaker of the language became available). */
  | "withdrawn";

export interface ScreenPopClose {
  callId: number;
  reason: ScreenPopCloseReason;
  acceptedBy: AgentRef | null;
}

/** An in-app message: an SLA reminder or escalation, a remote-session reminder, an on-site decision. */
export interface NoticePayload {
  /** Outbox message id: unique, lets the UI drop a repeated delivery. */
  id: number;
  kind: string;
  ticketId: number | null;
  message: string;
  at: string;
}

/** A caller waiting to be called back, offered like a pop; oldest queuedAt first (they keep their queue place). */
export interface CallbackOffer {
  id: number;
  ticketId: number | null;
  ticketNumber: string | null;
  callerName: string | null;
  phoneNumber: string;
  language: string;
  /** When the caller joined the queue (ISO). */
  queuedAt: string;
  /** pending, offered, dialing, completed, failed, cancelled. */
  status: string;
  attempts: number;
  agentId: number | null;
  lastError: string | null;
}

/** A callback offer leaves the consoles: taken by an agent (dialing), done, failed or back to wait for a retry. */
export interface CallbackClose {
  callbackId: number;
  status: string;
  acceptedBy: AgentRef | null;
}

/**
 * A call ringing a simulated softphone (simulation mode: the phone simulator's <Dial><Client>), pushed to the
 * agent's room. `callSid` is the caller's call, `dialCallSid` the leg that rings this agent.
 */
export interface SoftphoneIncoming {
  dialCallSid: string;
  callSid: string;
  /** The Client identity dialled, agent-<id>. */
  identity: string;
  /** The caller's number (what the Voice SDK shows as From). */
  from: string;
  to: string;
  /** When it started ringing (ISO). */
  ringingAt: string;
  /** How long it rings before the caller goes back to waiting (the <Dial> timeout). */
  timeoutSeconds: number;
}

/**
 * Why a simulated softphone call ended: the agent talked and someone hung up, the agent (or another tab) rejected
 * it, it rang out, the caller hung up, another tab of the same agent answered it, or it was called off.
 */
export type SoftphoneEndReason = "completed" | "rejected" | "no-answer" | "caller-hangup" | "answered-elsewhere" | "canceled";

export interface SoftphoneEnded {
  dialCallSid: string;
  callSid: string;
  reason: SoftphoneEndReason;
}

/** The answer to a softphone event: done, or why it was refused. */
export type SoftphoneAnswer = { ok: true } | { error: string };

/** The answer to `softphone:register`: the identity now registered and the calls ringing it already, or why not. */
export type SoftphoneRegisterAnswer = { identity: string; ttlSeconds: number; ringing: SoftphoneIncoming[] } | { error: string; /** Live mode: use the Voice SDK instead. */ live?: true };

export interface ServerToClientEvents {
  /** Show a pop, or update it in place (same callId) as the IVR goes on. */
  "screenpop:show": (pop: ScreenPop) => void;
  "screenpop:close": (close: ScreenPopClose) => void;
  /**
   * Pushes may have been missed (this instance lost Redis for a while): check the pops shown with `screenpop:check`
   * and take the callback offers again with `callback:sync`.
   */
  "console:recheck": () => void;
  /** To the winning agent's room: the accepted call (other tabs of the same agent follow). */
  "call:assigned": (assignment: { call: CallPayload; ticketId: number | null }) => void;
  /** To the agent who took the call: it ended (time for wrap-up). */
  "call:ended": (call: CallPayload) => void;
  /** An agent's status changed: to that agent and to supervisors. */
  "agent:status": (agent: AgentPayload) => void;
  /** A ticket changed: to its assignee and to the consoles watching it; the UI reloads what shows it. */
  "ticket:changed": (change: { ticketId: number; type: string; eventId: number }) => void;
  /** The live figures of SPEC §5, pushed to `supervisors` (coalesced, within a second of the change). */
  "supervisor:metrics": (metrics: SupervisorMetrics) => void;
  /** Something supervisors must see at once (SLA breach, escalation, on-site approval needed). */
  "supervisor:alert": (alert: NoticePayload) => void;
  /** An in-app notice to one agent. */
  "agent:notice": (notice: NoticePayload) => void;
  /** To available agents who may take it (speakers of its language, else all available): a callback to place. */
  "callback:offer": (offer: CallbackOffer) => void;
  /** To every console: this callback is no longer on offer. */
  "callback:closed": (close: CallbackClose) => void;
  /** Simulation mode, to the agent's room: the phone simulator rings this agent's registered softphone. */
  "softphone:incoming": (incoming: SoftphoneIncoming) => void;
  /** Simulation mode, to the agent's room: that ring or call is over (the call bar closes or says why). */
  "softphone:ended": (ended: SoftphoneEnded) => void;
}

export interface ClientToServerEvents {
  /** The pops this agent should see now (after a reconnect or a reload). */
  "screenpop:sync": (ack: (pops: ScreenPop[]) => void) => void;
  /**
   * Which of the pops this console shows are gone for good (the call was taken or ended), with why: after a
   * reconnect, or when asked by `console:recheck`, a console drops what it missed the close of.
   */
  "screenpop:check": (callIds: number[], ack: (answer: ScreenPopCheckAnswer) => void) => void;
  /**
   * The callbacks on offer to this agent now (none unless available), oldest first: the whole list, which replaces
   * what the console shows, after a (re)connect, after its agent's own status changed, or when asked by `console:recheck`.
   */
  "callback:sync": (ack: (answer: CallbackSyncAnswer) => void) => void;
  /** Fresh supervisor figures (supervisors only; null for others). */
  "supervisor:sync": (ack: (metrics: SupervisorMetrics | null) => void) => void;
  /** Start receiving `ticket:changed` for these tickets (ones this console shows); ids only, nothing secret. */
  "ticket:watch": (ticketIds: number[], ack?: (answer: TicketWatchAnswer) => void) => void;
  /** Stop receiving `ticket:changed` for these tickets. */
  "ticket:unwatch": (ticketIds: number[], ack?: (answer: TicketWatchAnswer) => void) => void;
  /**
   * Simulation mode only (refused in live mode, where the Voice SDK registers with Twilio): this console's simulated
   * softphone takes calls for agent-<id>. The registration lasts `ttlSeconds` unless sent again; it ends with
   * `softphone:unregister`, the socket's disconnect, logout or the agent going offline. Refused while offline.
   */
  "softphone:register": (ack?: (answer: SoftphoneRegisterAnswer) => void) => void;
  "softphone:unregister": (ack?: (answer: SoftphoneAnswer) => void) => void;
  /** Answers the ringing leg (only the agent it rings); other tabs get `softphone:ended` answered-elsewhere. */
  "softphone:answer": (call: { dialCallSid: string }, ack?: (answer: SoftphoneAnswer) => void) => void;
  /** Declines the ringing leg: Twilio's DialCallStatus busy. */
  "softphone:reject": (call: { dialCallSid: string }, ack?: (answer: SoftphoneAnswer) => void) => void;
  /** Hangs up the connected leg (DialCallStatus completed); on a ringing one it declines it. */
  "softphone:hangup": (call: { dialCallSid: string }, ack?: (answer: SoftphoneAnswer) => void) => void;
  /** Keys (0-9, *, #) the agent presses during the call. */
  "softphone:digits": (call: { dialCallSid: string; digits: string }, ack?: (answer: SoftphoneAnswer) => void) => void;
}

/** The pops asked about that are gone for good, or why the request was refused. */
export type ScreenPopCheckAnswer = { gone: ScreenPopClose[] } | { error: string };

/** The callbacks on offer to this agent, or why they could not be read (the console then keeps what it shows). */
export type CallbackSyncAnswer = { offers: CallbackOffer[] } | { error: string };

/** How many tickets the socket now watches, or why the request was refused. */
export type TicketWatchAnswer = { watching: number } | { error: string };

/** What the server knows about an authenticated socket (set once in the handshake middleware). */
export interface SocketData {
  agentId: number;
  name: string;
  role: AgentRole;
  languages: Language[];
}

/** The error `data` a refused handshake carries (Socket.IO passes it to the client's connect_error). */
export interface HandshakeErrorData {
  /** unauthorized: log in again; unavailable: the session could not be checked now, the console retries. */
  id: "unauthorized" | "unavailable";
}
