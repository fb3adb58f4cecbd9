/** Value lists shared by entities, validation schemas, IVR flows and the agent UI. */

export const LANGUAGES = ["nl", "fr", "en", "de"] as const;
export type Language = (typeof LANGUAGES)[number];

/** R1: every ticket is exactly one of these. */
export const CONTACT_TYPES = ["question", "incident", "change", "complaint"] as const;
export type ContactType = (typeof CONTACT_TYPES)[number];

export const PRIORITIES = ["critical", "high", "normal", "low"] as const;
export type Priority = (typeof PRIORITIES)[number];

export const TICKET_STATUSES = ["new", "open", "in_progress", "waiting_on_customer", "resolved", "closed"] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];
/** Statuses of a ticket whose work is done: no SLA clock runs, the pop lists it among the recent ones. */
export const FINISHED_TICKET_STATUSES: TicketStatus[] = ["resolved", "closed"];

/** R3: roles a customer must designate. */
export const REFERENCE_ROLES = ["campus", "general", "technical"] as const;
export type ReferenceRole = (typeof REFERENCE_ROLES)[number];

export const AGENT_ROLES = ["agent", "supervisor", "admin"] as const;
export type AgentRole = (typeof AGENT_ROLES)[number];

/**
 * `missed`: set by the desk when the agent's leg of a call they accepted was not answered (issue 16); no calls are
 * offered to them until they choose a status themselves.
 */
export const AGENT_STATUSES = ["available", "on_call", "wrap_up", "away", "missed", "offline"] as const;
export type AgentStatus = (typeof AGENT_STATUSES)[number];
/** The statuses an agent (or a supervisor for them) may pick; on_call is set by taking a call, missed by missing one. */
export const MANUAL_AGENT_STATUSES = ["available", "wrap_up", "away", "offline"] as const satisfies readonly AgentStatus[];

export const UI_LANGUAGES = ["nl", "fr", "en"] as const;
export type UiLanguage = (typeof UI_LANGUAGES)[number];

/** R5: categories the maintenance contract excludes (policy "Uitgesloten elementen"). */
export const OUT_OF_SCOPE_CATEGORIES = [
  "hardware",
  "backup",
  "communication_system",
  "operating_system",
  "network",
  "training",
  "customer_modification",
  "user_error",
] as const;
export type OutOfScopeCategory = (typeof OUT_OF_SCOPE_CATEGORIES)[number];

/** Categories for which the desk still diagnoses, advises and may notify the supplier. */
export const HARDWARE_LIKE_CATEGORIES: readonly OutOfScopeCategory[] = [
  "hardware",
  "backup",
  "communication_system",
  "operating_system",
  "network",
];

export const SCOPE_VERDICTS = ["undetermined", "in_scope", "out_of_scope"] as const;
export type ScopeVerdict = (typeof SCOPE_VERDICTS)[number];

export const CONSENT_METHODS = ["ivr_keypress", "phone", "written"] as const;
export type ConsentMethod = (typeof CONSENT_METHODS)[number];

export const CONSENT_STATUSES = ["pending", "given", "refused"] as const;
export type ConsentStatus = (typeof CONSENT_STATUSES)[number];

export const CALL_DIRECTIONS = ["inbound", "outbound"] as const;
export type CallDirection = (typeof CALL_DIRECTIONS)[number];

export const CALL_OUTCOMES = [
  "in_ivr",
  "queued",
  "answered",
  "abandoned",
  "callback_requested",
  "voicemail",
  "unidentified",
  "not_entitled",
  "completed",
  "failed",
] as const;
export type CallOutcome = (typeof CALL_OUTCOMES)[number];

export const REMOTE_SESSION_STATUSES = ["scheduled", "completed", "cancelled", "missed"] as const;
export type RemoteSessionStatus = (typeof REMOTE_SESSION_STATUSES)[number];

export const ON_SITE_STATUSES = ["pending", "approved", "refused"] as const;
export type OnSiteStatus = (typeof ON_SITE_STATUSES)[number];

export const CALLBACK_STATUSES = ["pending", "offered", "dialing", "completed", "failed", "cancelled"] as const;
export type CallbackStatus = (typeof CALLBACK_STATUSES)[number];

export const ACTOR_TYPES = ["agent", "caller", "system"] as const;
export type ActorType = (typeof ACTOR_TYPES)[number];
