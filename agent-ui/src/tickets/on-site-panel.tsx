import { useState } from "preact/hooks";
import type { AgentPayload, OnSiteRequestPayload, TicketDetail } from "../../../shared-types/console-payloads.js";
import { Badge, ErrorLine } from "../components/bits.js";
import { apiFetch } from "../lib/api.js";
import { useI18n } from "../lib/i18n.js";
import { formatDateTime } from "../lib/time.js";
import { useSubmit } from "./use-submit.js";

/** R7: an agent asks for an on-site intervention with a reason; a supervisor approves or refuses with a reason. */
export function OnSitePanel({ ticket, me, onSaved }: { ticket: TicketDetail; me: AgentPayload; onSaved: (ticket: TicketDetail) => void }) {
  const { t, locale } = useI18n();
  const [reason, setReason] = useState("");
  const { busy, error, run } = useSubmit();
  const isSupervisor = me.role === "supervisor" || me.role === "admin";
  const pending = ticket.onSiteRequests.some((request) => request.status === "pending");

  const ask = (event: Event) => {
    event.preventDefault();
    void run(async () => {
      const body = await apiFetch<{ ticket: TicketDetail }>(`/api/tickets/${ticket.id}/on-site-requests`, { method: "POST", body: { reason } });
      setReason("");
      onSaved(body.ticket);
    });
  };

  return (
    <section class="card panel" data-testid="on-site-panel">
      <h2>{t("onSite.title")}</h2>
      <p class="muted">{t("onSite.remoteFirst")}</p>
      <ul class="plain">
        {ticket.onSiteRequests.map((request) => (
          <li>
            <Badge kind={`onsite-${request.status}`}>{t(`onSite.status.${request.status}`)}</Badge> {request.reason}{" "}
            <span class="muted">
              — {request.requestedBy?.name ?? ""}, {formatDateTime(request.createdAt, locale)}
            </span>
            {request.decidedBy && (
              <div class="muted">
                {t("onSite.decided", { name: request.decidedBy.name, time: formatDateTime(request.decidedAt, locale) })}: {request.decisionReason}
              </div>
            )}
            {request.status === "pending" && isSupervisor && <OnSiteDecision request={request} onDecided={onSaved} />}
          </li>
        ))}
      </ul>
      {!pending && (
        <form onSubmit={ask} class="inline-form labelled">
          <label class="grow">
            {t("onSite.reason")}
            <input name="reason" value={reason} onInput={(e) => setReason(e.currentTarget.value)} required maxLength={5000} />
          </label>
          <button type="submit" disabled={busy}>
            {t("onSite.request")}
          </button>
        </form>
      )}
      <ErrorLine message={error} />
    </section>
  );
}

/** A supervisor's decision on one pending on-site request (also used in the supervisor view). */
export function OnSiteDecision({ request, onDecided }: { request: OnSiteRequestPayload; onDecided: (ticket: TicketDetail) => void }) {
  const { t } = useI18n();
  const [reason, setReason] = useState("");
  const { busy, error, run } = useSubmit();
  const decide = (decision: "approved" | "refused") =>
    void run(async () => {
      const body = await apiFetch<{ ticket: TicketDetail }>(`/api/on-site-requests/${request.id}/decision`, { method: "POST", body: { decision, reason } });
      setReason("");
      onDecided(body.ticket);
    });
  return (
    <div class="inline-form labelled" data-testid="on-site-decision">
      <label class="grow">
        {t("onSite.decisionReason")}
        <input name="decisionReason" value={reason} onInput={(e) => setReason(e.currentTarget.value)} maxLength={5000} />
      </label>
      <button type="button" disabled={busy} onClick={() => decide("approved")}>
        {t("onSite.approve")}
      </button>
      <button type="button" disabled={busy} onClick={() => decide("refused")}>
        {t("onSite.refuse")}
      </button>
      <ErrorLine message={error} />
    </div>
  );
}
