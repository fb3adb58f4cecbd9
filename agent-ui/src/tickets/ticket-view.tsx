import { useCallback, useEffect, useState } from "preact/hooks";
import type { AgentPayload, TicketDetail } from "../../../shared-types/console-payloads.js";
import { Badge, ErrorLine, SlaBadge } from "../components/bits.js";
import { useLive, useWatchedTickets } from "../console/live.js";
import { errorMessage } from "../i18n/index.js";
import { apiFetch } from "../lib/api.js";
import { useI18n } from "../lib/i18n.js";
import { formatDateTime } from "../lib/time.js";
import { ConsentPanel } from "./consent-panel.js";
import { OnSitePanel } from "./on-site-panel.js";
import { RemoteSessionsPanel } from "./remote-sessions-panel.js";
import { ScopePanel } from "./scope-panel.js";
import { TicketEditForm } from "./ticket-edit-form.js";
import { TicketHistory } from "./ticket-history.js";

/** Everything about one ticket; reloads when another console changes it. */
export function TicketView({ ticketId, me }: { ticketId: number; me: AgentPayload }) {
  const i18n = useI18n();
  const { t, locale } = i18n;
  const { state } = useLive();
  useWatchedTickets([ticketId]);
  const [ticket, setTicket] = useState<TicketDetail | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setTicket((await apiFetch<{ ticket: TicketDetail }>(`/api/tickets/${ticketId}`)).ticket);
      setError(null);
    } catch (failure) {
      setError(errorMessage(i18n, failure));
    }
  }, [ticketId, i18n]);

  useEffect(() => {
    setTicket(null);
    void load();
  }, [ticketId]);
  useEffect(() => {
    if (state.ticketChange?.ticketId === ticketId) void load();
  }, [state.ticketChange?.serial]);

  if (!ticket) return error ? <ErrorLine message={error} /> : <p class="muted">{t("common.loading")}</p>;

  return (
    <article class="ticket" data-testid="ticket-view" data-ticket-id={ticket.id}>
      <header class="ticket-head">
        <h1 data-testid="ticket-number">{ticket.number}</h1>
        <Badge kind="status" testId="ticket-status">{t(`ticketStatus.${ticket.status}`)}</Badge>
        <Badge kind="type">{t(`type.${ticket.contactType}`)}</Badge>
        <Badge kind={`priority-${ticket.priority}`} testId="ticket-priority">{t(`priority.${ticket.priority}`)}</Badge>
        <SlaBadge sla={ticket.sla} />
        {!ticket.entitled && <Badge kind="danger">{t(`entitlement.${ticket.entitlementReason ?? "no_contract"}`)}</Badge>}
      </header>
      <ErrorLine message={error} />
      <dl class="facts">
        <dt>{t("ticket.customer")}</dt>
        <dd>{ticket.customer ? <a href={`#/customers/${ticket.customer.id}`}>{ticket.customer.name}</a> : "—"}</dd>
        <dt>{t("ticket.reporter")}</dt>
        <dd>
          {ticket.reporter ? `${ticket.reporter.name} (${t(`role.${ticket.reporter.role}`)}${ticket.reporter.campus ? `, ${ticket.reporter.campus.name}` : ""})` : "—"}
        </dd>
        <dt>{t("ticket.product")}</dt>
        <dd>{ticket.product?.name ?? "—"}</dd>
        <dt>{t("ticket.language")}</dt>
        <dd>{ticket.language.toUpperCase()}</dd>
        <dt>{t("ticket.assignee")}</dt>
        <dd>{ticket.assignee?.name ?? "—"}</dd>
        <dt>{t("ticket.created")}</dt>
        <dd>{formatDateTime(ticket.createdAt, locale)}</dd>
        <dt>{t("ticket.firstResponseDue")}</dt>
        <dd>{ticket.firstRespondedAt ? t("ticket.respondedAt", { time: formatDateTime(ticket.firstRespondedAt, locale) }) : formatDateTime(ticket.firstResponseDueAt, locale)}</dd>
        <dt>{t("ticket.resolutionDue")}</dt>
        <dd>{formatDateTime(ticket.resolutionDueAt, locale)}</dd>
        <dt>{t("ticket.description")}</dt>
        <dd class="description" data-testid="ticket-description">
          {ticket.description ?? "—"}
        </dd>
      </dl>
      <div class="panels">
        <TicketEditForm ticket={ticket} onSaved={setTicket} />
        <ScopePanel ticket={ticket} onSaved={setTicket} />
        <ConsentPanel ticket={ticket} onSaved={setTicket} />
        <RemoteSessionsPanel ticket={ticket} />
        <OnSitePanel ticket={ticket} me={me} onSaved={setTicket} />
      </div>
      <TicketHistory ticket={ticket} />
    </article>
  );
}
