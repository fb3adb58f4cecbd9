/**
 * Payloads of the agent console API and of the Socket.IO events, as the presenters in server/presenters/
 * build them. Shared by server/ and agent-ui/; types only (nothing here exists at run time). Instants are
 * ISO-8601 strings in UTC; the browser shows them in Europe/Brussels.
 */
import type {
  AgentRole,
  AgentStatus,
  ConsentMethod,
  ConsentStatus,
  ContactType,
  Language,
  OnSiteStatus,
  OutOfScopeCategory,
  Priority,
  ReferenceRole,
  ScopeVerdict,
  TicketStatus,
  UiLanguage,
} from "../entities/enums.js";

// The value lists' types are part of this contract too.
export type * from "../entities/enums.js";

/** A desk account as the console sees it (never the password hash). */
export interface AgentPayload {
  id: number;
  name: string;
  email: string;
  role: AgentRole;
  languages: Language[];
  status: AgentStatus;
  statusChangedAt: string | null;
  uiLanguage: UiLanguage;
}

/** Another agent, as shown to colleagues (who took a call, who is assigned). */
export interface AgentRef {
  id: number;
  name: string;
}

export interface ProductPayload {
  id: number;
  code: string;
  name: string;
}

export interface CampusPayload {
  id: number;
  name: string;
  city: string | null;
}

/** Where a contract stands today (R4). */
export type ContractStatus = "active" | "unpaid" | "expired" | "not_yet_valid";

export interface ContractPayload {
  id: number;
  reference: string;
  validFrom: string;
  validTo: string;
  paid: boolean;
  status: ContractStatus;
  slaPolicy: { id: number; name: string; twentyFourSeven: boolean } | null;
  products: ProductPayload[];
}

export interface ReferencePersonPayload {
  id: number;
  name: string;
  role: ReferenceRole;
  campus: CampusPayload | null;
  language: Language;
  email: string | null;
  phoneNumbers: string[];
  active: boolean;
}

export interface CustomerRef {
  id: number;
  code: string;
  name: string;
}

/** SLA standing of a ticket right now (R9): paused while a cost consent is pending (R6). */
export type SlaState = "none" | "ok" | "at_risk" | "breached" | "paused" | "done";

export interface TicketSummary {
  id: number;
  number: string;
  contactType: ContactType;
  priority: Priority;
  status: TicketStatus;
  language: Language;
  subject: string;
  customer: CustomerRef | null;
  product: ProductPayload | null;
  assignee: AgentRef | null;
  entitled: boolean;
  scope: ScopeVerdict;
  sla: SlaState;
  firstResponseDueAt: string | null;
  resolutionDueAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface TicketEventPayload {
  id: number;
  type: string;
  actor: { type: "agent" | "caller" | "system"; id: number | null; name: string | null };
  /** Free data of the event; any text in it is user-supplied and must be rendered as text. */
  data: Record<string, unknown> | null;
  createdAt: string;
}

export interface CostConsentPayload {
  id: number;
  status: ConsentStatus;
  estimateText: string;
  estimateAmountCents: number | null;
  requestedBy: AgentRef | null;
  decidedBy: { id: number; name: string } | null;
  method: ConsentMethod | null;
  decidedAt: string | null;
  createdAt: string;
}

export interface BillableEntryPayload {
  id: number;
  consentId: number;
  agent: AgentRef | null;
  minutes: number;
  description: string;
  amountCents: number | null;
  createdAt: string;
}

export interface OnSiteRequestPayload {
  id: number;
  ticketId: number;
  ticketNumber: string | null;
  customer: CustomerRef | null;
  status: OnSiteStatus;
  reason: string;
  requestedBy: AgentRef | null;
  decidedBy: AgentRef | null;
  decisionReason: string | null;
  decidedAt: string | null;
  createdAt: string;
}

export interface TicketDetail extends TicketSummary {
  description: string | null;
  entitlementReason: string | null;
  scopeCategory: OutOfScopeCategory | null;
  scopeDiagnosis: string | null;
  scopeAdvice: string | null;
  supplierNotifiedAt: string | null;
  supplier: { name: string | null; email: string | null } | null;
  reporter: ReferencePersonPayload | null;
  campus: CampusPayload | null;
  firstRespondedAt: string | null;
  slaPausedAt: string | null;
  resolvedAt: string | null;
  closedAt: string | null;
  sourceCallId: number | null;
  /** Statuses this ticket may move to next. */
  allowedStatuses: TicketStatus[];
  /** Products the customer's contracts cover today (the product picker). */
  coveredProducts: ProductPayload[];
  /** The customer's active reference persons (who may consent, whom to book a remote session with). */
  customerPersons: ReferencePersonPayload[];
  events: TicketEventPayload[];
  costConsents: CostConsentPayload[];
  billableEntries: BillableEntryPayload[];
  onSiteRequests: OnSiteRequestPayload[];
}

/** The call an agent works on. */
export interface CallPayload {
  id: number;
  direction: "inbound" | "outbound";
  fromNumber: string;
  language: Language | null;
  outcome: string;
  ivrStep: string;
  queueName: string | null;
  startedAt: string;
  queuedAt: string | null;
  answeredAt: string | null;
  endedAt: string | null;
  acceptedBy: AgentRef | null;
  ticketId: number | null;
  personId: number | null;
  customerId: number | null;
}

/**
 * A line of a pop's lists of the customer's other tickets: what the pop shows of them (the ticket view has the rest).
 * A pop goes to every agent it is offered to, twice or more per call: its lists are most of its size.
 */
export type PopTicketLine = Pick<TicketSummary, "id" | "number" | "contactType" | "status" | "subject" | "sla">;

/** What the IVR learned before the ticket exists (type and product chosen). */
export interface IvrChoices {
  contactType: ContactType | null;
  priority: Priority | null;
  productId: number | null;
}

/** Where an offered caller is: still in the menu (not acceptable yet), waiting in a queue, or leaving a message. */
export type PopStage = "menu" | "queued" | "voicemail";

/** SPEC §4.7: everything an agent needs to decide and greet the caller. */
export interface ScreenPop {
  callId: number;
  language: Language | null;
  fromNumber: string;
  outcome: string;
  ivrStep: string;
  /** Only a "queued" caller can be accepted: before that there is nobody to connect (issue 16). */
  stage: PopStage;
  /** When the call started ringing; the UI counts the waiting time live from here or from queuedAt. */
  startedAt: string;
  queuedAt: string | null;
  /** When an agent last failed to take this caller (leg not answered, dequeue refused): such pops come first (the desk's order). */
  missedAt: string | null;
  /** language: the agent speaks the caller's language; fallback: nobody available does, so all available agents see it. */
  offer: "language" | "fallback";
  caller: ReferencePersonPayload | null;
  customer: CustomerRef | null;
  entitlement: { entitled: boolean; reason: string } | null;
  contracts: ContractPayload[];
  coveredProducts: ProductPayload[];
  openTickets: PopTicketLine[];
  recentTickets: PopTicketLine[];
  ticket: TicketSummary | null;
  choices: IvrChoices;
}

/** SPEC §5 figures of one language queue (or of all). */
export interface QueueMetrics {
  language: Language | "all";
  waiting: number;
  /** When the longest-waiting caller joined the queue; the UI counts the wait live. */
  longestWaitingSince: string | null;
  agents: Record<AgentStatus, number>;
  offered: number;
  answered: number;
  /** Callers who hung up after 5 s or more in the queue. */
  abandoned: number;
  /** Callers who hung up within 5 s (excluded from abandoned and from the service level). */
  shortAbandoned: number;
  /** Share answered within 30 s of answered + abandoned; null when there is nothing to measure. */
  serviceLevel: number | null;
  averageWaitSeconds: number | null;
  averageHandleSeconds: number | null;
  ticketsByType: Record<ContactType, number>;
}

export interface HourBucket {
  /** Hour of the day in Europe/Brussels, 0–23. */
  hour: number;
  offered: number;
  answered: number;
  abandoned: number;
}

export interface SupervisorMetrics {
  generatedAt: string;
  /** The day the "today" figures cover (Europe/Brussels). */
  day: string;
  timeZone: string;
  total: QueueMetrics;
  queues: QueueMetrics[];
  callsPerHour: HourBucket[];
  sla: { atRisk: number; breached: number; tickets: TicketSummary[] };
  pendingCostConsents: number;
  onSitePending: OnSiteRequestPayload[];
  agents: AgentPayload[];
}

/** A customer found by the look-up. */
export interface CustomerSummary extends CustomerRef {
  campuses: CampusPayload[];
  /** Why it matched when the search hit a person or a phone number. */
  matchedPersons: ReferencePersonPayload[];
  /** When its latest ticket was opened (in the list of recent customers, before any search). */
  lastTicketAt?: string | null;
}

export interface CustomerDetail extends CustomerRef {
  supplierName: string | null;
  supplierEmail: string | null;
  campuses: CampusPayload[];
  referencePersons: ReferencePersonPayload[];
  contracts: ContractPayload[];
  coveredProducts: ProductPayload[];
  openTickets: TicketSummary[];
  recentTickets: TicketSummary[];
}

/** A JSON error answer of the API. */
export interface ApiErrorBody {
  error: { id: string; message: string; field?: string; fields?: { field: string; message: string }[] } & Record<string, unknown>;
}
