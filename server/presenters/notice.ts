import type { NoticePayload } from "../../shared-types/socket-events.js";
import { iso } from "./format.js";

/** An agent notice or supervisor alert from its outbox message (the outbox id lets the UI drop a repeat). */
export function presentNotice(message: { id: number; createdAt: Date | string; payload: { kind: string; ticketId?: number | null; message: string } }): NoticePayload {
  const { kind, ticketId, message: text } = message.payload;
  return { id: message.id, kind, ticketId: ticketId ?? null, message: text, at: iso(message.createdAt) };
}
