import type { Call } from "../../entities/Call.js";
import type { CallPayload } from "../../shared-types/console-payloads.js";
import { presentAgentRef } from "./agent.js";
import { iso, isoOrNull } from "./format.js";

/** A call as the agent who works it sees it (no IVR internals beyond the step name). */
export function presentCall(call: Call): CallPayload {
  return {
    id: call.id,
    direction: call.direction,
    fromNumber: call.fromNumber,
    language: call.language,
    outcome: call.outcome,
    ivrStep: call.ivrStep,
    queueName: call.queueName,
    startedAt: iso(call.createdAt),
    queuedAt: isoOrNull(call.queuedAt),
    answeredAt: isoOrNull(call.answeredAt),
    endedAt: isoOrNull(call.endedAt),
    acceptedBy: presentAgentRef(call.acceptedByAgent),
    ticketId: call.ticketId,
    personId: call.personId,
    customerId: call.customerId,
  };
}
