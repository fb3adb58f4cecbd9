import type { Agent } from "../../entities/Agent.js";
import type { BillableEntry } from "../../entities/BillableEntry.js";
import type { CostConsent } from "../../entities/CostConsent.js";
import type { OnSiteRequest } from "../../entities/OnSiteRequest.js";
import type { ReferencePerson } from "../../entities/ReferencePerson.js";
import type { Ticket } from "../../entities/Ticket.js";
import type { TicketEvent } from "../../entities/TicketEvent.js";
import type {
  BillableEntryPayload,
  CostConsentPayload,
  OnSiteRequestPayload,
  ProductPayload,
  SlaState,
  TicketDetail,
  TicketEventPayload,
  TicketSummary,
} from "../../shared-types/console-payloads.js";
import { allowedNextStatuses } from "../commands/ticket-status.js";
import { presentAgentRef } from "./agent.js";
import { personName, presentCampus, presentCustomerRef, presentPerson, presentProduct } from "./customer.js";
import { iso, isoOrNull } from "./format.js";

/** Share of a target's time after which a ticket counts as at risk (the SLA reminder fires at the same point). */
export const SLA_AT_RISK_SHARE = 0.75;

/** Measures time between two instants on the ticket's SLA clock (business minutes, or plain minutes for 24/7). */
export type SlaClock = (from: Date, to: Date) => number;

const wallClockMinutes: SlaClock = (from, to) => Math.max(0, (to.getTime() - from.getTime()) / 60_000);

/**
 * R9 standing of a ticket at `now`: breached when a due time passed, at risk after 75% of a target's time,
 * paused while a cost consent is pending (R6), done once resolved or closed.
 */
export function slaState(
  ticket: Pick<Ticket, "status" | "createdAt" | "firstResponseDueAt" | "firstRespondedAt" | "resolutionDueAt" | "slaPausedAt">,
  now: Date,
  clock: SlaClock = wallClockMinutes,
): SlaState {
  if (ticket.status === "resolved" || ticket.status === "closed") return "done";
  const openTargets = [ticket.firstRespondedAt ? null : ticket.firstResponseDueAt, ticket.resolutionDueAt].filter((due): due is Date => due !== null);
  if (!ticket.firstResponseDueAt && !ticket.resolutionDueAt) return "none";
  if (ticket.slaPausedAt) return "paused";
  if (openTargets.some((due) => due.getTime() <= now.getTime())) return "breached";
  const created = new Date(ticket.createdAt);
  const atRisk = openTargets.some((due) => {
    const total = clock(created, due);
    return total > 0 && clock(created, now) >= SLA_AT_RISK_SHARE * total;
  });
  return atRisk ? "at_risk" : "ok";
}

/** A ticket in lists, pops and the supervisor view (load customer, product and assignee). */
export function presentTicketSummary(ticket: Ticket, now: Date = new Date(), clock?: SlaClock): TicketSummary {
  return {
    id: ticket.id,
    number: ticket.number,
    contactType: ticket.contactType,
    priority: ticket.priority,
    status: ticket.status,
    language: ticket.language,
    subject: ticket.subject,
    customer: presentCustomerRef(ticket.customer),
    product: ticket.product ? presentProduct(ticket.product) : null,
    assignee: presentAgentRef(ticket.assignee),
    entitled: Boolean(ticket.entitled),
    scope: ticket.scope,
    sla: slaState(ticket, now, clock),
    firstResponseDueAt: isoOrNull(ticket.firstResponseDueAt),
    resolutionDueAt: isoOrNull(ticket.resolutionDueAt),
    createdAt: iso(ticket.createdAt),
    updatedAt: iso(ticket.updatedAt),
  };
}

/** One entry of a ticket's audit trail; `names` resolves actor ids to display names. */
export function presentTicketEvent(event: TicketEvent, names: { agents: Map<number, string>; persons: Map<number, string> }): TicketEventPayload {
  const name =
    event.actorId === null ? null
    : event.actorType === "agent" ? names.agents.get(event.actorId) ?? null
    : event.actorType === "caller" ? names.persons.get(event.actorId) ?? null
    : null;
  return { id: event.id, type: event.type, actor: { type: event.actorType, id: event.actorId, name }, data: event.data ?? null, createdAt: iso(event.createdAt) };
}

/** R6: a consent with who asked, who decided, how and when (load requestedByAgent and decidedByPerson). */
export function presentCostConsent(consent: CostConsent): CostConsentPayload {
  return {
    id: consent.id,
    status: consent.status,
    estimateText: consent.estimateText,
    estimateAmountCents: consent.estimateAmountCents,
    requestedBy: presentAgentRef(consent.requestedByAgent),
    decidedBy: consent.decidedByPerson ? { id: consent.decidedByPerson.id, name: personName(consent.decidedByPerson) ?? "—" } : null,
    method: consent.method,
    decidedAt: isoOrNull(consent.decidedAt),
    createdAt: iso(consent.createdAt),
  };
}

/** R6: logged billable work and who logged it (load agent). */
export function presentBillableEntry(entry: BillableEntry): BillableEntryPayload {
  return {
    id: entry.id,
    consentId: entry.consentId,
    agent: presentAgentRef(entry.agent),
    minutes: entry.minutes,
    description: entry.description,
    amountCents: entry.amountCents,
    createdAt: iso(entry.createdAt),
  };
}

/** R7: an on-site request (load requestedByAgent, decidedByAgent and, for lists, ticket.customer). */
export function presentOnSiteRequest(request: OnSiteRequest): OnSiteRequestPayload {
  return {
    id: request.id,
    ticketId: request.ticketId,
    ticketNumber: request.ticket?.number ?? null,
    customer: presentCustomerRef(request.ticket?.customer),
    status: request.status,
    reason: request.reason,
    requestedBy: presentAgentRef(request.requestedByAgent),
    decidedBy: presentAgentRef(request.decidedByAgent),
    decisionReason: request.decisionReason,
    decidedAt: isoOrNull(request.decidedAt),
    createdAt: iso(request.createdAt),
  };
}

/** Everything the ticket view shows; relations and related lists are loaded by the caller. */
export function presentTicketDetail(
  ticket: Ticket,
  related: {
    events: TicketEvent[];
    eventNames: { agents: Map<number, string>; persons: Map<number, string> };
    costConsents: CostConsent[];
    billableEntries: BillableEntry[];
    onSiteRequests: OnSiteRequest[];
    coveredProducts: ProductPayload[];
    customerPersons: ReferencePerson[];
    assignee?: Agent | null;
  },
  now: Date = new Date(),
  clock?: SlaClock,
): TicketDetail {
  return {
    ...presentTicketSummary(ticket, now, clock),
    description: ticket.description,
    entitlementReason: ticket.entitlementReason,
    scopeCategory: ticket.scopeCategory,
    scopeDiagnosis: ticket.scopeDiagnosis,
    scopeAdvice: ticket.scopeAdvice,
    supplierNotifiedAt: isoOrNull(ticket.supplierNotifiedAt),
    supplier: ticket.customer ? { name: ticket.customer.supplierName, email: ticket.customer.supplierEmail } : null,
    reporter: ticket.reporter ? presentPerson(ticket.reporter) : null,
    campus: presentCampus(ticket.campus),
    firstRespondedAt: isoOrNull(ticket.firstRespondedAt),
    slaPausedAt: isoOrNull(ticket.slaPausedAt),
    resolvedAt: isoOrNull(ticket.resolvedAt),
    closedAt: isoOrNull(ticket.closedAt),
    sourceCallId: ticket.sourceCallId,
    allowedStatuses: allowedNextStatuses(ticket.status),
    coveredProducts: related.coveredProducts,
    customerPersons: related.customerPersons.map(presentPerson),
    events: related.events.map((event) => presentTicketEvent(event, related.eventNames)),
    costConsents: related.costConsents.map(presentCostConsent),
    billableEntries: related.billableEntries.map(presentBillableEntry),
    onSiteRequests: related.onSiteRequests.map(presentOnSiteRequest),
  };
}
