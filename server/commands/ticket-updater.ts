import { z } from "zod";
import { Agent } from "../../entities/Agent.js";
import { CONTACT_TYPES, PRIORITIES, TICKET_STATUSES } from "../../entities/enums.js";
import { Product } from "../../entities/Product.js";
import { SlaPolicy } from "../../entities/SlaPolicy.js";
import { Ticket } from "../../entities/Ticket.js";
import { loadEntitlement } from "../domain/entitlement.js";
import { computeDueTimes } from "../domain/sla.js";
import { badRequest, conflict } from "../errors/http-error.js";
import { validate } from "../errors/validation.js";
import { lockTicket } from "./locked-ticket.js";
import { isAllowedTransition, allowedNextStatuses } from "./ticket-status.js";
import { calendarOf, inTransaction, type CommandContext } from "./transaction.js";

/** Fields an agent may change on a ticket. */
export const ticketChangesSchema = z
  .object({
    /** R1: exactly one contact type. */
    contactType: z.enum(CONTACT_TYPES),
    priority: z.enum(PRIORITIES),
    productId: z.number().int().positive().nullable(),
    status: z.enum(TICKET_STATUSES),
    subject: z.string().trim().max(200),
    description: z.string().max(20_000).nullable(),
    assigneeId: z.number().int().positive().nullable(),
  })
  .partial()
  .strict();

export type TicketChanges = z.infer<typeof ticketChangesSchema>;

export interface TicketUpdaterProps {
  ticketId: number;
  /** The agent making the change (recorded on every event). */
  agentId: number;
  changes: TicketChanges;
  /** A note for the ticket's history; stored as a `note_added` event. */
  note?: string | null;
  now?: Date;
}

const noteSchema = z.string().trim().min(1, "the note is empty").max(10_000).nullish();

type Diff = Record<string, { from: unknown; to: unknown }>;
/** The ticket's own columns (relations excluded), as an update may set them. */
type TicketColumns = Omit<Ticket, "customer" | "campus" | "reporter" | "product" | "assignee" | "sourceCall">;

/**
 * Changes a ticket's type, priority, product, status (along the lifecycle of ticket-status.ts), subject,
 * description or assignee, and/or adds a note; every change is a ticket event (R10). A new priority moves
 * the SLA due times; a new product re-checks entitlement (R4). An agent's first action counts as the first response.
 */
export async function ticketUpdater(context: CommandContext, props: TicketUpdaterProps): Promise<Ticket> {
  const changes = validate(ticketChangesSchema, props.changes);
  const note = validate(noteSchema, props.note);
  const now = props.now ?? new Date();
  return inTransaction(context, async (tx) => {
    const ticket = await lockTicket(tx.manager, props.ticketId);
    const actor = { type: "agent" as const, id: props.agentId };
    const update: Partial<TicketColumns> = {};
    const diff: Diff = {};
    const set = <K extends keyof TicketColumns>(key: K, value: TicketColumns[K]) => {
      if (ticket[key] === value) return;
      diff[key] = { from: ticket[key], to: value };
      update[key] = value;
    };

    if (changes.contactType !== undefined) set("contactType", changes.contactType);
    if (changes.subject !== undefined) set("subject", changes.subject);
    if (changes.description !== undefined) set("description", changes.description);
    if (changes.assigneeId !== undefined) {
      if (changes.assigneeId !== null && !(await tx.manager.getRepository(Agent).existsBy({ id: changes.assigneeId, active: true }))) {
        throw badRequest("unknown_assignee", "The assignee is not an active desk account.", { field: "assigneeId" });
      }
      set("assigneeId", changes.assigneeId);
    }
    if (changes.productId !== undefined && changes.productId !== ticket.productId) {
      if (changes.productId !== null && !(await tx.manager.getRepository(Product).existsBy({ id: changes.productId }))) {
        throw badRequest("unknown_product", "No such product.", { field: "productId" });
      }
      set("productId", changes.productId);
      if (ticket.customerId !== null) {
        const verdict = await loadEntitlement(tx.manager, ticket.customerId, changes.productId, calendarOf(context).localDate(now));
        set("entitled", verdict.entitled);
        set("entitlementReason", verdict.entitled ? null : verdict.reason);
        if (verdict.entitled && verdict.contract && ticket.slaPolicyId === null) set("slaPolicyId", verdict.contract.slaPolicyId);
      }
    }
    if (changes.priority !== undefined) set("priority", changes.priority);
    if (changes.status !== undefined && changes.status !== ticket.status) {
      if (!isAllowedTransition(ticket.status, changes.status)) {
        const allowed = allowedNextStatuses(ticket.status).map((s) => s.replace(/_/g, " ")).join(", ");
        throw conflict("invalid_status_transition", `A ${ticket.status.replace(/_/g, " ")} ticket cannot become ${changes.status.replace(/_/g, " ")}; it can become: ${allowed}.`, {
          field: "status",
        });
      }
      set("status", changes.status);
      if (changes.status === "resolved") set("resolvedAt", now);
      if (changes.status === "closed") {
        set("closedAt", now);
        if (!ticket.resolvedAt) set("resolvedAt", now);
      }
      if (changes.status !== "resolved" && changes.status !== "closed") {
        set("resolvedAt", null);
        set("closedAt", null);
      }
    }
    if (("priority" in update || "slaPolicyId" in update) && (update.slaPolicyId ?? ticket.slaPolicyId) !== null) {
      const policy = await tx.manager.getRepository(SlaPolicy).findOneBy({ id: (update.slaPolicyId ?? ticket.slaPolicyId)! });
      if (policy) {
        const due = computeDueTimes(policy, update.priority ?? ticket.priority, new Date(ticket.createdAt), calendarOf(context));
        set("firstResponseDueAt", due.firstResponseDueAt);
        set("resolutionDueAt", due.resolutionDueAt);
      }
    }
    if ((Object.keys(update).length > 0 || note) && !ticket.firstRespondedAt) set("firstRespondedAt", now);

    if (Object.keys(update).length > 0) {
      await tx.manager.getRepository(Ticket).update({ id: ticket.id }, update);
      const { status, ...others } = diff;
      if (status) await tx.ticketEvent(ticket.id, "status_changed", actor, { from: status.from, to: status.to });
      const recorded = Object.fromEntries(Object.entries(others).map(([key, value]) => [key, { from: serialise(value.from), to: serialise(value.to) }]));
      if (Object.keys(recorded).length > 0) await tx.ticketEvent(ticket.id, "updated", actor, { changes: recorded });
      Object.assign(ticket, update);
    }
    if (note) await tx.ticketEvent(ticket.id, "note_added", actor, { text: note });
    return ticket;
  });
}

function serialise(value: unknown): unknown {
  return value instanceof Date ? value.toISOString() : value;
}
