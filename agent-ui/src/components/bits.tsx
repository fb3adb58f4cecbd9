import type { ComponentChildren } from "preact";
import type { TicketSummary } from "../../../shared-types/console-payloads.js";
import { useI18n } from "../lib/i18n.js";
import { formatDateTime } from "../lib/time.js";

/** A coloured label; the text is always rendered as text. */
export function Badge({ kind, children, testId }: { kind: string; children: ComponentChildren; testId?: string }) {
  return (
    <span class={`badge ${kind}`} data-testid={testId}>
      {children}
    </span>
  );
}

/** An error line for a form or a card. */
export function ErrorLine({ message, testId }: { message: string | null; testId?: string }) {
  return message ? (
    <p class="error" role="alert" data-testid={testId}>
      {message}
    </p>
  ) : null;
}

/** SLA standing of a ticket as a badge. */
export function SlaBadge({ sla }: { sla: TicketSummary["sla"] }) {
  const { t } = useI18n();
  return sla === "none" ? null : <Badge kind={`sla-${sla}`}>{t(`sla.${sla}`)}</Badge>;
}

/** A table of tickets linking to their view. */
export function TicketTable({ tickets, testId, showCustomer = true }: { tickets: TicketSummary[]; testId?: string; showCustomer?: boolean }) {
  const { t, locale } = useI18n();
  if (tickets.length === 0) return <p class="muted">{t("tickets.none")}</p>;
  return (
    <table class="tickets" data-testid={testId}>
      <thead>
        <tr>
          <th>{t("ticket.number")}</th>
          {showCustomer && <th>{t("ticket.customer")}</th>}
          <th>{t("ticket.subject")}</th>
          <th>{t("ticket.type")}</th>
          <th>{t("ticket.priority")}</th>
          <th>{t("ticket.status")}</th>
          <th>{t("ticket.sla")}</th>
          <th>{t("ticket.created")}</th>
        </tr>
      </thead>
      <tbody>
        {tickets.map((ticket) => (
          <tr>
            <td>
              <a href={`#/tickets/${ticket.id}`}>{ticket.number}</a>
            </td>
            {showCustomer && <td>{ticket.customer?.name ?? "—"}</td>}
            <td>{ticket.subject || "—"}</td>
            <td>{t(`type.${ticket.contactType}`)}</td>
            <td>{t(`priority.${ticket.priority}`)}</td>
            <td>{t(`ticketStatus.${ticket.status}`)}</td>
            <td>
              <SlaBadge sla={ticket.sla} />
            </td>
            <td>{formatDateTime(ticket.createdAt, locale)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Euro amount from cents, in the agent's locale. */
export function euros(cents: number | null | undefined, locale: string): string {
  if (cents === null || cents === undefined) return "—";
  return new Intl.NumberFormat(locale, { style: "currency", currency: "EUR" }).format(cents / 100);
}
