import { In } from "typeorm";
import { CallbackRequest } from "../../entities/CallbackRequest.js";
import { LANGUAGES, type Language } from "../../entities/enums.js";
import { leanInsert } from "../db/lean.js";
import { InvalidPhoneNumberError, normalizePhoneNumber } from "../domain/phone.js";
import { badRequest } from "../errors/http-error.js";
import type { OutboxRecorder } from "../events/outbox.js";
import { inTransaction, type CommandContext } from "./transaction.js";

export interface CallbackRequesterProps {
  /** The call the caller left (null for a callback asked for outside a call). */
  callId: number | null;
  /** The ticket opened for the call, if any. */
  ticketId: number | null;
  /** Number to call back, in any format normalizePhoneNumber reads. */
  phoneNumber: string;
  language: Language;
  /** When the caller joined the queue: the callback keeps that place. */
  queuedAt: Date;
}

/** Statuses in which a callback is still to be done: a second request for the same call joins it. */
const OPEN_STATUSES = ["pending", "offered", "dialing"] as const;

/**
 * Records a caller's request to be called back, keeping their place in the queue, and announces it
 * (`callback.requested`) so agents get it offered. A retried webhook for the same call returns the
 * existing request. An invalid number is a 400 `invalid_callback_number` and stores nothing.
 */
export async function callbackRequester(context: CommandContext, props: CallbackRequesterProps): Promise<{ callbackId: number; created: boolean }> {
  return inTransaction(context, (tx) => requestCallbackInTransaction(tx, props));
}

/** The same as callbackRequester inside a transaction the caller owns (voicemail processing, IVR steps). */
export async function requestCallbackInTransaction(tx: OutboxRecorder, props: CallbackRequesterProps): Promise<{ callbackId: number; created: boolean }> {
  const phoneNumber = callbackNumber(props.phoneNumber);
  if (!LANGUAGES.includes(props.language)) throw badRequest("invalid_language", `Unknown language "${props.language}".`, { field: "language" });
  const repository = tx.manager.getRepository(CallbackRequest);
  if (props.callId !== null) {
    const existing = await repository.findOne({ where: { callId: props.callId, status: In([...OPEN_STATUSES]) }, select: { id: true } });
    if (existing) return { callbackId: existing.id, created: false };
  }
  // Runs inside IVR webhooks: inserted without save()'s read-back.
  const callbackId = await leanInsert(tx.manager, CallbackRequest, {
    callId: props.callId,
    ticketId: props.ticketId,
    phoneNumber,
    language: props.language,
    queuedAt: props.queuedAt,
    status: "pending",
    attempts: 0,
  });
  if (props.ticketId !== null) {
    await tx.ticketEvent(props.ticketId, "callback_requested", { type: "caller" }, { callbackId, callId: props.callId, phoneNumber });
  }
  await tx.record("callback.requested", { callbackId });
  return { callbackId, created: true };
}

/** E.164 form of a callback number, or a clear 400 naming the field. */
function callbackNumber(raw: string): string {
  try {
    return normalizePhoneNumber(raw);
  } catch (error) {
    if (error instanceof InvalidPhoneNumberError) {
      throw badRequest("invalid_callback_number", `The callback number "${String(raw).slice(0, 40)}" is not a valid phone number.`, { field: "phoneNumber" });
    }
    throw error;
  }
}
