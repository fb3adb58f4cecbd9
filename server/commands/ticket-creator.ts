import { Customer } from "../../entities/Customer.js";
import type { ActorType, ContactType, Language, Priority } from "../../entities/enums.js";
import { Ticket } from "../../entities/Ticket.js";
import type { BusinessCalendar } from "../domain/business-hours.js";
import { loadEntitlement, type EntitlementReason } from "../domain/entitlement.js";
import { computeDueTimes } from "../domain/sla.js";
import { leanCreate } from "../db/lean.js";
import { nextTicketNumber } from "../domain/ticket-number.js";
import type { OutboxRecorder } from "../events/outbox.js";
import { calendarOf, inTransaction, type CommandContext } from "./transaction.js";
import { withDeadlockRetry } from "./retry.js";

export interface TicketCreatorProps {
  /** R1 contact type. */
  contactType: ContactType;
  priority?: Priority;
  /** Null for an unidentified caller (recorded, never dropped). */
  customerId: number | null;
  campusId?: number | null;
  reporterId?: number | null;
  productId?: number | null;
  language: Language;
  subject?: string;
  description?: string | null;
  sourceCallId?: number | null;
  /** Who opened it: the caller through the IVR, an agent, or the system. */
  actor: { type: ActorType; id?: number | null };
  /** When the contact started; defaults to now. SLA clocks start here. */
  openedAt?: Date;
}

/**
 * Creates a ticket inside an existing transaction: unique number, entitlement verdict (R4), SLA due
 * times (R9) from the entitling contract's policy, and the `created` event.
 */
export async function createTicketInTransaction(tx: OutboxRecorder, calendar: BusinessCalendar, props: TicketCreatorProps): Promise<Ticket> {
  const openedAt = props.openedAt ?? new Date();
  const today = calendar.localDate(openedAt);
  const productId = props.productId ?? null;
  let entitled = false;
  let reason: EntitlementReason | "unknown_caller" = "unknown_caller";
  let due: { firstResponseDueAt: Date | null; resolutionDueAt: Date | null } = { firstResponseDueAt: null, resolutionDueAt: null };
  let slaPolicyId: number | null = null;
  const priority = props.priority ?? "normal";
  // Taken while the contracts are read: on MariaDB the number comes from a connection of its own (ticket-number.ts).
  // A ticket that then fails (an unknown customer) leaves a gap in the numbers, as a rolled-back one does.
  const numbering = nextTicketNumber(tx.manager, Number(today.slice(0, 4)));
  numbering.catch(() => undefined); // awaited below; not left unhandled if the entitlement fails first
  if (props.customerId !== null) {
    const verdict = await loadEntitlement(tx.manager, props.customerId, productId, today);
    // A customer with contracts exists; only without any is it worth asking (an unknown id fails here, not on the foreign key).
    if (verdict.contracts.length === 0) await tx.manager.getRepository(Customer).findOneByOrFail({ id: props.customerId });
    entitled = verdict.entitled;
    reason = verdict.reason;
    if (verdict.entitled && verdict.contract) {
      slaPolicyId = verdict.contract.slaPolicyId;
      due = computeDueTimes(verdict.contract.slaPolicy, priority, openedAt, calendar);
    }
  }
  const number = await numbering;
  // Not read back (save() would): every column is given or has its declared default.
  const ticket = await leanCreate(tx.manager, Ticket, {
    number,
    contactType: props.contactType,
    priority,
    status: "new",
    customerId: props.customerId,
    campusId: props.campusId ?? null,
    reporterId: props.reporterId ?? null,
    productId,
    language: props.language,
    subject: props.subject ?? "",
    description: props.description ?? null,
    entitled,
    entitlementReason: entitled ? null : reason,
    slaPolicyId,
    firstResponseDueAt: due.firstResponseDueAt,
    resolutionDueAt: due.resolutionDueAt,
    sourceCallId: props.sourceCallId ?? null,
  });
  await tx.ticketEvent(ticket.id, "created", props.actor, {
    number,
    contactType: ticket.contactType,
    priority,
    entitled,
    entitlementReason: ticket.entitlementReason,
  }, { contactType: ticket.contactType }); // a complaint's follow-up job is decided on the announcement alone
  return ticket;
}

/** Opens a ticket in its own transaction (see createTicketInTransaction). */
export async function ticketCreator(context: CommandContext, props: TicketCreatorProps): Promise<Ticket> {
  return withDeadlockRetry(() => inTransaction(context, (tx) => createTicketInTransaction(tx, calendarOf(context), props)));
}
