import { Customer } from "../../entities/Customer.js";
import { Ticket } from "../../entities/Ticket.js";
import { checkScopeVerdict, isHardwareLike, type ScopeVerdictInput } from "../domain/scope.js";
import { lockTicket } from "./locked-ticket.js";
import { inTransaction, type CommandContext } from "./transaction.js";

export interface ScopeRecorderProps {
  ticketId: number;
  /** The agent who judged the scope. */
  agentId: number;
  /** in_scope, or out_of_scope with category, diagnosis, advice and whether to notify the supplier. */
  verdict: ScopeVerdictInput;
  now?: Date;
}

/** Says what the agent must tell the customer before any out-of-scope work (policy: "always say in time"). */
export const EXTRA_COST_NOTICE =
  "Tell the customer now that this request falls outside the maintenance contract and may cost extra; " +
  "billable work can only be logged after their recorded consent.";

/**
 * R5: records the scope verdict on a ticket. An out-of-scope verdict also records that the customer must be
 * told in time it may cost extra (R6); a supplier notification is recorded with the supplier's contact.
 */
export async function scopeRecorder(context: CommandContext, props: ScopeRecorderProps): Promise<Ticket> {
  const now = props.now ?? new Date();
  return inTransaction(context, async (tx) => {
    const ticket = await lockTicket(tx.manager, props.ticketId);
    const customer = ticket.customerId === null ? null : await tx.manager.getRepository(Customer).findOneBy({ id: ticket.customerId });
    const decision = checkScopeVerdict(props.verdict, customer);
    const actor = { type: "agent" as const, id: props.agentId };

    const changes: Partial<Pick<Ticket, "scope" | "scopeCategory" | "scopeDiagnosis" | "scopeAdvice" | "supplierNotifiedAt">> = {
      scope: decision.verdict,
      scopeCategory: decision.category,
      scopeDiagnosis: decision.diagnosis,
      scopeAdvice: decision.advice,
      ...(decision.notifySupplier ? { supplierNotifiedAt: now } : {}),
    };
    await tx.manager.getRepository(Ticket).update({ id: ticket.id }, changes);
    Object.assign(ticket, changes);

    await tx.ticketEvent(ticket.id, "scope_recorded", actor, {
      verdict: decision.verdict,
      category: decision.category,
      hardwareLike: decision.category ? isHardwareLike(decision.category) : false,
      diagnosis: decision.diagnosis,
      advice: decision.advice,
    });
    if (decision.verdict === "out_of_scope") {
      await tx.ticketEvent(ticket.id, "extra_cost_notice_required", actor, { category: decision.category, message: EXTRA_COST_NOTICE });
    }
    if (decision.notifySupplier && customer) {
      await tx.ticketEvent(ticket.id, "supplier_notified", actor, {
        supplierName: customer.supplierName,
        supplierEmail: customer.supplierEmail,
        category: decision.category,
        diagnosis: decision.diagnosis,
        at: now.toISOString(),
      });
    }
    return ticket;
  });
}
