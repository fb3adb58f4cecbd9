/**
 * Events written to the outbox inside a transaction and published after commit.
 * Payloads carry ids only: processors load fresh state, so a late or repeated delivery is harmless.
 */
export interface TopicPayloads {
  /** A call progressed in the IVR (identified, language, type, product, queued, ticket opened). */
  "call.updated": { callId: number };
  /** An agent accepted a waiting call. */
  "call.accepted": { callId: number; agentId: number };
  /** An accepted call went back to waiting (the caller could not be moved to the agent, or the agent missed the dial): offer it again. */
  "call.released": { callId: number; agentId: number };
  /** A call ended (answered and hung up, abandoned, voicemail). */
  "call.ended": { callId: number };
  /** A ticket event was appended (created, updated, consent, scope, sla …). */
  "ticket.event": { ticketId: number; eventId: number; type: string; /** On "created": the ticket's contact type (job routing needs no lookup). */ contactType?: string };
  /** An agent's status or languages changed. */
  "agent.status": { agentId: number };
  /** A caller asked to be called back. */
  "callback.requested": { callbackId: number };
  /** A callback request changed (offered, accepted, finished). */
  "callback.updated": { callbackId: number };
  /** A remote session was booked, moved, cancelled or finished. */
  "remote_session.changed": { sessionId: number; revision: number };
  /** A caller left a voicemail. */
  "voicemail.recorded": { callId: number; ticketId: number | null };
  /** Something supervisors should see at once (SLA breach, escalation). */
  "supervisor.alert": { kind: string; ticketId?: number; message: string };
  /** An in-app notice to one agent (SLA reminder, remote-session reminder). */
  "agent.notice": { agentId: number; kind: string; ticketId?: number; message: string };
}

export type Topic = keyof TopicPayloads;

export interface OutboxEnvelope<T extends Topic = Topic> {
  /** Outbox row id: unique, used as the idempotency key of whatever the message causes. */
  id: number;
  topic: T;
  payload: TopicPayloads[T];
  createdAt: Date;
}
