import { z } from "zod";
import { CostConsent } from "../../entities/CostConsent.js";
import { Ticket } from "../../entities/Ticket.js";
import { conflict } from "../errors/http-error.js";
import { validate } from "../errors/validation.js";
import { lockTicket } from "./locked-ticket.js";
import { inTransaction, type CommandContext } from "./transaction.js";

export interface CostConsentRequesterProps {
  ticketId: number;
  /** The agent who tells the customer the estimate. */
  agentId: number | null;
  /** What the customer is told the work will cost, in words (e.g. "2 hours at €95 excl. VAT"). */
  estimateText: string;
  /** The same estimate as an amount, in euro cents: required, so billable work can be held to it (R6). */
  estimateAmountCents: number;
  now?: Date;
}

const schema = z.object({
  estimateText: z.string().trim().min(1, "the estimate told to the customer is required").max(500),
  // R6, never an unexpected cost: a consent names the amount agreed to, and billable work is checked against it.
  estimateAmountCents: z.number({ error: "the estimated amount is required" }).int().positive().max(100_000_000),
});

/**
 * R6: opens a pending cost consent with the estimate the customer is told, and pauses the ticket's SLA
 * clocks until it is decided (they wait on the customer, not on the desk).
 */
export async function costConsentRequester(context: CommandContext, props: CostConsentRequesterProps): Promise<CostConsent> {
  const input = validate(schema, { estimateText: props.estimateText, estimateAmountCents: props.estimateAmountCents });
  const now = props.now ?? new Date();
  return inTransaction(context, async (tx) => {
    const ticket = await lockTicket(tx.manager, props.ticketId);
    if (ticket.customerId === null) {
      throw conflict("consent_needs_customer", "This ticket has no customer: only a customer's reference person can consent to costs.");
    }
    if (ticket.status === "resolved" || ticket.status === "closed") {
      throw conflict("ticket_closed", `Ticket ${ticket.number} is ${ticket.status}; reopen it before asking for consent to costs.`);
    }
    const consent = await tx.manager.getRepository(CostConsent).save({
      ticketId: ticket.id,
      status: "pending",
      estimateText: input.estimateText,
      estimateAmountCents: input.estimateAmountCents,
      requestedByAgentId: props.agentId,
    });
    const actor = { type: "agent" as const, id: props.agentId };
    await tx.ticketEvent(ticket.id, "consent_requested", actor, {
      consentId: consent.id,
      estimateText: consent.estimateText,
      estimateAmountCents: consent.estimateAmountCents,
    });
    if (!ticket.slaPausedAt) {
      await tx.manager.getRepository(Ticket).update({ id: ticket.id }, { slaPausedAt: now });
      await tx.ticketEvent(ticket.id, "sla_paused", actor, { reason: "consent_pending", consentId: consent.id, at: now.toISOString() });
    }
    return consent;
  });
}
