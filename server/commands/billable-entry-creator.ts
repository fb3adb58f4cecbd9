import { z } from "zod";
import { BillableEntry } from "../../entities/BillableEntry.js";
import { CostConsent } from "../../entities/CostConsent.js";
import { ConsentRequiredError } from "../errors/consent-required-error.js";
import { conflict } from "../errors/http-error.js";
import { validate } from "../errors/validation.js";
import { lockTicket } from "./locked-ticket.js";
import { inTransaction, type CommandContext } from "./transaction.js";

export interface BillableEntryCreatorProps {
  ticketId: number;
  agentId: number | null;
  /** Time spent, in minutes. */
  minutes: number;
  /** What was done. */
  description: string;
  amountCents?: number | null;
  /** The consent this work falls under; defaults to the ticket's most recently given consent. */
  consentId?: number | null;
}

const schema = z.object({
  minutes: z.number().int().positive().max(100_000),
  description: z.string().trim().min(1, "say what was done").max(500),
  amountCents: z.number().int().min(0).nullish(),
  consentId: z.number().int().positive().nullish(),
});

/**
 * R6: logs billable work on a ticket. Refused with ConsentRequiredError (nothing written) unless a reference
 * person of the customer gave a recorded consent; refused too when the amounts would exceed the estimate
 * they agreed to, because the customer never gets unexpected costs.
 */
export async function billableEntryCreator(context: CommandContext, props: BillableEntryCreatorProps): Promise<BillableEntry> {
  const input = validate(schema, { minutes: props.minutes, description: props.description, amountCents: props.amountCents, consentId: props.consentId });
  return inTransaction(context, async (tx) => {
    const ticket = await lockTicket(tx.manager, props.ticketId);
    const consent = await tx.manager.getRepository(CostConsent).findOne({
      where: { ticketId: ticket.id, status: "given", ...(input.consentId ? { id: input.consentId } : {}) },
      order: { decidedAt: "DESC", id: "DESC" },
    });
    if (!consent || consent.decidedByPersonId === null) throw new ConsentRequiredError(ticket.id);
    // A consent recorded before amounts were required names no amount: the work could not be held to it.
    if (consent.estimateAmountCents === null) {
      throw conflict("consent_without_amount", "The consent given names no amount: ask for a new consent with the estimated amount before logging billable work.", { consentId: consent.id });
    }

    const amountCents = input.amountCents ?? null;
    if (amountCents !== null) {
      const earlier = await tx.manager.getRepository(BillableEntry).find({ where: { consentId: consent.id }, select: { id: true, amountCents: true } });
      const billed = earlier.reduce((sum, entry) => sum + (entry.amountCents ?? 0), 0);
      if (billed + amountCents > consent.estimateAmountCents) {
        throw conflict(
          "estimate_exceeded",
          `This would bring the billed amount to ${euros(billed + amountCents)}, above the ${euros(consent.estimateAmountCents)} the customer agreed to; ask for a new consent first.`,
          { consentId: consent.id, billedCents: billed, estimateAmountCents: consent.estimateAmountCents },
        );
      }
    }

    const entry = await tx.manager.getRepository(BillableEntry).save({
      ticketId: ticket.id,
      consentId: consent.id,
      agentId: props.agentId,
      minutes: input.minutes,
      description: input.description,
      amountCents,
    });
    await tx.ticketEvent(ticket.id, "billable_entry_created", { type: "agent", id: props.agentId }, {
      entryId: entry.id,
      consentId: consent.id,
      minutes: entry.minutes,
      amountCents: entry.amountCents,
      description: entry.description,
    });
    return entry;
  });
}

function euros(cents: number): string {
  return `€${(cents / 100).toFixed(2)}`;
}
