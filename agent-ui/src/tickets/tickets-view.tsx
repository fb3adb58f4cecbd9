import { useState } from "preact/hooks";
import { CONTACT_TYPES, TICKET_STATUSES } from "../../../entities/enums.js";
import type { TicketSummary } from "../../../shared-types/console-payloads.js";
import { ErrorLine, TicketTable } from "../components/bits.js";
import { errorMessage } from "../i18n/index.js";
import { apiFetch } from "../lib/api.js";
import { useI18n } from "../lib/i18n.js";
import { useAsync } from "../lib/use-async.js";

/** Ticket list and search: by number, customer or subject; by status and type; mine only. */
export function TicketsView() {
  const i18n = useI18n();
  const { t } = i18n;
  const [q, setQ] = useState("");
  const [status, setStatus] = useState("active");
  const [type, setType] = useState("");
  const [mine, setMine] = useState(false);
  const [submitted, setSubmitted] = useState({ q: "", status: "active", type: "", mine: false });
  const { data, error, loading } = useAsync(
    (signal) => {
      const params = new URLSearchParams({ limit: "100" });
      if (submitted.q.trim()) params.set("q", submitted.q.trim());
      if (submitted.status) params.set("status", submitted.status);
      if (submitted.type) params.set("type", submitted.type);
      if (submitted.mine) params.set("assignee", "me");
      return apiFetch<{ items: TicketSummary[]; total: number }>(`/api/tickets?${params}`, { signal });
    },
    [submitted],
  );

  return (
    <section class="tickets-view">
      <h1>{t("nav.tickets")}</h1>
      <form
        class="filters"
        data-testid="ticket-search"
        onSubmit={(event) => {
          event.preventDefault();
          setSubmitted({ q, status, type, mine });
        }}
      >
        <label class="inline">
          <span>{t("common.search")}</span>
          <input type="search" placeholder={t("tickets.searchPlaceholder")} title={t("tickets.searchPlaceholder")} value={q} onInput={(e) => setQ(e.currentTarget.value)} data-testid="ticket-search-q" />
        </label>
        <select value={status} onChange={(e) => setStatus(e.currentTarget.value)} aria-label={t("ticket.status")}>
          <option value="active">{t("tickets.active")}</option>
          <option value="">{t("tickets.all")}</option>
          {TICKET_STATUSES.map((s) => (
            <option value={s}>{t(`ticketStatus.${s}`)}</option>
          ))}
        </select>
        <select value={type} onChange={(e) => setType(e.currentTarget.value)} aria-label={t("ticket.type")}>
          <option value="">{t("tickets.allTypes")}</option>
          {CONTACT_TYPES.map((c) => (
            <option value={c}>{t(`type.${c}`)}</option>
          ))}
        </select>
        <label class="inline">
          <input type="checkbox" checked={mine} onChange={(e) => setMine(e.currentTarget.checked)} /> {t("tickets.mine")}
        </label>
        <button type="submit" class="primary">
          {t("common.search")}
        </button>
      </form>
      <ErrorLine message={error ? errorMessage(i18n, error) : null} />
      {loading && !data && <p class="muted">{t("common.loading")}</p>}
      {data && (
        <>
          <p class="muted">{t("tickets.count", { count: data.total })}</p>
          <TicketTable tickets={data.items} testId="ticket-results" />
        </>
      )}
    </section>
  );
}
