import type { TicketStatus } from "../../entities/enums.js";

/**
 * The ticket lifecycle: which status may follow which. Resolved and closed tickets can be reopened
 * (the customer calls back about the same problem); a closed ticket only back to open.
 */
const TRANSITIONS: Record<TicketStatus, readonly TicketStatus[]> = {
  new: ["open", "in_progress", "waiting_on_customer", "resolved", "closed"],
  open: ["in_progress", "waiting_on_customer", "resolved", "closed"],
  in_progress: ["open", "waiting_on_customer", "resolved", "closed"],
  waiting_on_customer: ["open", "in_progress", "resolved", "closed"],
  resolved: ["closed", "open", "in_progress"],
  closed: ["open"],
};

/** Statuses a ticket in `status` may move to next. */
export function allowedNextStatuses(status: TicketStatus): TicketStatus[] {
  return [...(TRANSITIONS[status] ?? [])];
}

/** True when a ticket may go from `from` to `to` (staying put is not a transition). */
export function isAllowedTransition(from: TicketStatus, to: TicketStatus): boolean {
  return TRANSITIONS[from]?.includes(to) ?? false;
}
