import { personName } from "./customer.js";
import type { EntityManager, FindOptionsWhere } from "typeorm";
import { CallbackRequest } from "../../entities/CallbackRequest.js";
import type { CallbackOffer } from "../../shared-types/socket-events.js";

/** A callback request as the console and the offer pop see it (the socket contract's CallbackOffer). */
export type CallbackPayload = CallbackOffer;

/** Whitelists a callback's fields; ticket number and caller name come from loaded relations when present. */
export function presentCallback(callback: CallbackRequest, extra: { ticketNumber?: string | null; callerName?: string | null } = {}): CallbackPayload {
  return {
    id: callback.id,
    ticketId: callback.ticketId,
    ticketNumber: extra.ticketNumber ?? callback.ticket?.number ?? null,
    callerName: extra.callerName ?? null,
    phoneNumber: callback.phoneNumber,
    language: callback.language,
    queuedAt: callback.queuedAt.toISOString(),
    status: callback.status,
    attempts: callback.attempts,
    agentId: callback.agentId,
    lastError: callback.lastError,
  };
}

/** Loads callbacks with their ticket and caller, oldest queuedAt first, and presents them. */
export async function loadCallbackPayloads(manager: EntityManager, where: FindOptionsWhere<CallbackRequest> | FindOptionsWhere<CallbackRequest>[]): Promise<CallbackPayload[]> {
  const callbacks = await manager.getRepository(CallbackRequest).find({
    where,
    relations: { ticket: true, call: { person: true } },
    order: { queuedAt: "ASC", id: "ASC" },
    take: 500,
  });
  return callbacks.map((callback) => {
    return presentCallback(callback, { callerName: personName(callback.call?.person) });
  });
}
