import type { Call } from "../../entities/Call.js";
import type { Contract } from "../../entities/Contract.js";
import { CONTACT_TYPES, PRIORITIES, type ContactType, type Priority } from "../../entities/enums.js";
import type { Product } from "../../entities/Product.js";
import type { Ticket } from "../../entities/Ticket.js";
import { popStage } from "../domain/call-stage.js";
import type { IvrChoices, PopTicketLine, ScreenPop } from "../../shared-types/console-payloads.js";
import { presentContract, presentCustomerRef, presentPerson, presentProduct } from "./customer.js";
import { iso, isoOrNull } from "./format.js";
import { presentTicketSummary, slaState } from "./ticket.js";

/** The columns a pop line needs (POP_LINE_COLUMNS): its fields and what its SLA standing is computed from. */
export const POP_LINE_COLUMNS = ["id", "number", "contactType", "status", "subject", "createdAt", "updatedAt", "firstResponseDueAt", "firstRespondedAt", "resolutionDueAt", "slaPausedAt"] as const;

/** One of the customer's other tickets as a pop lists it. */
export function presentPopTicketLine(ticket: Pick<Ticket, (typeof POP_LINE_COLUMNS)[number]>, now: Date): PopTicketLine {
  return { id: ticket.id, number: ticket.number, contactType: ticket.contactType, status: ticket.status, subject: ticket.subject, sla: slaState(ticket, now) };
}

/** What the screen-pop loader gathered around one call. */
export interface ScreenPopParts {
  call: Call;
  entitlement: { entitled: boolean; reason: string } | null;
  contracts: Contract[];
  coveredProducts: Pick<Product, "id" | "code" | "name">[];
  openTickets: Pick<Ticket, (typeof POP_LINE_COLUMNS)[number]>[];
  recentTickets: Pick<Ticket, (typeof POP_LINE_COLUMNS)[number]>[];
  ticket: Ticket | null;
  today: string;
  now: Date;
}

/**
 * The choices the IVR recorded before it opened the ticket. The IVR state is free-form JSON, so only
 * values of the right type and range are taken over.
 */
export function ivrChoices(state: Record<string, unknown> | null | undefined): IvrChoices {
  const value = (...keys: string[]) => keys.map((key) => state?.[key]).find((candidate) => candidate !== undefined && candidate !== null);
  const contactType = value("contactType", "type");
  const priority = value("priority");
  const productId = value("productId");
  return {
    contactType: typeof contactType === "string" && (CONTACT_TYPES as readonly string[]).includes(contactType) ? (contactType as ContactType) : null,
    priority: typeof priority === "string" && (PRIORITIES as readonly string[]).includes(priority) ? (priority as Priority) : null,
    productId: typeof productId === "number" && Number.isInteger(productId) ? productId : null,
  };
}

/** SPEC §4.7: the pop an agent sees; `offer` says whether they were picked for the language or as the fallback. */
export function presentScreenPop(parts: ScreenPopParts, offer: ScreenPop["offer"]): ScreenPop {
  const { call } = parts;
  return {
    callId: call.id,
    language: call.language,
    fromNumber: call.fromNumber,
    outcome: call.outcome,
    ivrStep: call.ivrStep,
    stage: popStage(call),
    startedAt: iso(call.createdAt),
    queuedAt: isoOrNull(call.queuedAt),
    missedAt: isoOrNull(call.missedAt),
    offer,
    caller: call.person ? presentPerson(call.person) : null,
    customer: presentCustomerRef(call.customer ?? call.person?.customer),
    entitlement: parts.entitlement,
    contracts: parts.contracts.map((contract) => presentContract(contract, parts.today)),
    coveredProducts: parts.coveredProducts.map(presentProduct),
    openTickets: parts.openTickets.map((ticket) => presentPopTicketLine(ticket, parts.now)),
    recentTickets: parts.recentTickets.map((ticket) => presentPopTicketLine(ticket, parts.now)),
    ticket: parts.ticket ? presentTicketSummary(parts.ticket, parts.now) : null,
    choices: ivrChoices(call.ivrState),
  };
}
