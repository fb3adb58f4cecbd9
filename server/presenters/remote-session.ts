import { personName } from "./customer.js";
import type { RemoteSession } from "../../entities/RemoteSession.js";

/** A remote session as the console sees it. */
export interface RemoteSessionPayload {
  id: number;
  ticketId: number;
  personId: number;
  personName: string | null;
  agentId: number;
  agentName: string | null;
  /** ISO instant. */
  scheduledAt: string;
  durationMinutes: number;
  status: string;
  revision: number;
}

/** Whitelists a session's fields; names come from loaded relations when present. */
export function presentRemoteSession(session: RemoteSession): RemoteSessionPayload {
  const person = session.person;
  return {
    id: session.id,
    ticketId: session.ticketId,
    personId: session.personId,
    personName: personName(person),
    agentId: session.agentId,
    agentName: session.agent?.name ?? null,
    scheduledAt: session.scheduledAt.toISOString(),
    durationMinutes: session.durationMinutes,
    status: session.status,
    revision: session.revision,
  };
}
