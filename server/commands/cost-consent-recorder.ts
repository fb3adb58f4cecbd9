import { z } from "zod";
import { CostConsent } from "../../entities/CostConsent.js";
import { CONSENT_METHODS, type ConsentMethod } from "../../entities/enums.js";
import { ReferencePerson } from "../../entities/ReferencePerson.js";
import { SlaPolicy } from "../../entities/SlaPolicy.js";
import { Ticket } from "../../entities/Ticket.js";
import { shiftDueTimesForPause, slaMinutesBetween } from "../domain/sla.js";
import { badRequest, conflict, notFound } from "../errors/http-error.js";
import { IneligibleConsenterError } from "../errors/ineligible-consenter-error.js";
import { validate } from "../errors/validation.js";
import type { OutboxRecorder } from "../events/outbox.js";
import { lockTicket } from "./locked-ticket.js";
import { calendarOf, inTransaction, type CommandContext } from "./transaction.js";

export interface CostConsentRecorderProps {
  consentId: number;
  decision: "given" | "refused";
  /** The reference person who decided: must belong to the ticket's customer. */
  personId: number;
  /** How they decided: keypress in the IVR, by phone to the agent, or in writing. */
  method: ConsentMethod;
  /** When they decided (a written consent may predate its recording); defaults to now. */
  decidedAt?: Date;
  /** The agent recording it; null when the caller pressed a key in the IVR. */
  agentId?: number | null;
  now?: Date;
}

const schema = z.object({
  decision: z.enum(["given", "refused"]),
  personId: z.number().int().positive(),
  method: z.enum(CONSENT_METHODS),
});

/** Allowed clock skew between the agent's "when" and the server clock. */
const FUTURE_TOLERANCE_MS = 5 * 60_000;

/**
 * R6: records a reference person's decision on a pending cost consent: who, when, how. When no consent of
 * the ticket is pending any more, its SLA clocks resume and the due times move by the time they waited.
 */
export async function costConsentRecorder(
  context: CommandContext,
  props: CostConsentRecorderProps,
): Promise<{ consent: CostConsent; ticket: Ticket; slaResumed: boolean }> {
  const input = validate(schema, { decision: props.decision, personId: props.personId, method: props.method });
  const now = props.now ?? new Date();
  const decidedAt = props.decidedAt ?? now;
  if (Number.isNaN(decidedAt.getTime()) || decidedAt.getTime() > now.getTime() + FUTURE_TOLERANCE_MS) {
    throw badRequest("invalid_decided_at", "The moment of the decision must be a valid time, not in the future.", { field: "decidedAt" });
  }
  return inTransaction(context, async (tx) => {
    const consents = tx.manager.getRepository(CostConsent);
    const found = await consents.findOne({ where: { id: props.consentId }, select: { id: true, ticketId: true } });
    if (!found) throw notFound("Cost consent");
    const ticket = await lockTicket(tx.manager, found.ticketId);
    // Re-read under the ticket lock: a concurrent decision on the same consent must see this one.
    const consent = await consents.findOneByOrFail({ id: props.consentId });
    if (consent.status !== "pending") {
      throw conflict("consent_already_decided", `This consent was already ${consent.status}; ask for a new one if needed.`);
    }
    const person = await tx.manager.getRepository(ReferencePerson).findOneBy({ id: input.personId });
    if (!person || person.customerId !== ticket.customerId || !person.active || person.erasedAt) {
      throw new IneligibleConsenterError(input.personId, ticket.id);
    }

    Object.assign(consent, { status: input.decision, decidedByPersonId: person.id, method: input.method, decidedAt });
    await consents.update({ id: consent.id }, { status: input.decision, decidedByPersonId: person.id, method: input.method, decidedAt });
    const actor = input.method === "ivr_keypress" ? { type: "caller" as const, id: person.id } : { type: "agent" as const, id: props.agentId ?? null };
    await tx.ticketEvent(ticket.id, input.decision === "given" ? "consent_given" : "consent_refused", actor, {
      consentId: consent.id,
      personId: person.id,
      personName: `${person.firstName} ${person.lastName}`,
      method: input.method,
      decidedAt: decidedAt.toISOString(),
      estimateText: consent.estimateText,
      estimateAmountCents: consent.estimateAmountCents,
    });

    const stillPending = await consents.count({ where: { ticketId: ticket.id, status: "pending" } });
    const slaResumed = stillPending === 0 && ticket.slaPausedAt !== null;
    if (slaResumed) await resumeSla(context, tx, ticket, now, actor);
    return { consent, ticket, slaResumed };
  });
}

/** Moves the due times by the SLA time spent waiting for consent (business time unless the policy is 24/7). */
async function resumeSla(context: CommandContext, tx: OutboxRecorder, ticket: Ticket, now: Date, actor: { type: "agent" | "caller"; id: number | null }) {
  const pausedAt = ticket.slaPausedAt!;
  const policy = ticket.slaPolicyId === null ? null : await tx.manager.getRepository(SlaPolicy).findOneBy({ id: ticket.slaPolicyId });
  const changes: Partial<Pick<Ticket, "slaPausedAt" | "firstResponseDueAt" | "resolutionDueAt">> = { slaPausedAt: null };
  let pausedMinutes: number | null = null;
  if (policy) {
    const calendar = calendarOf(context);
    pausedMinutes = slaMinutesBetween(policy, pausedAt, now, calendar);
    // A first response already given is settled; only open clocks move.
    const shifted = shiftDueTimesForPause(
      policy,
      { firstResponseDueAt: ticket.firstRespondedAt ? null : ticket.firstResponseDueAt, resolutionDueAt: ticket.resolvedAt ? null : ticket.resolutionDueAt },
      pausedAt,
      now,
      calendar,
    );
    if (shifted.firstResponseDueAt) changes.firstResponseDueAt = shifted.firstResponseDueAt;
    if (shifted.resolutionDueAt) changes.resolutionDueAt = shifted.resolutionDueAt;
  }
  await tx.manager.getRepository(Ticket).update({ id: ticket.id }, changes);
  Object.assign(ticket, changes);
  await tx.ticketEvent(ticket.id, "sla_resumed", actor, {
    pausedAt: pausedAt.toISOString(),
    resumedAt: now.toISOString(),
    pausedMinutes,
    firstResponseDueAt: ticket.firstResponseDueAt?.toISOString() ?? null,
    resolutionDueAt: ticket.resolutionDueAt?.toISOString() ?? null,
  });
}
