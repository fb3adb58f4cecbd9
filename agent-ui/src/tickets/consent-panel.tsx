import { useState } from "preact/hooks";
import { CONSENT_METHODS } from "../../../entities/enums.js";
import type { CostConsentPayload, TicketDetail } from "../../../shared-types/console-payloads.js";
import { Badge, ErrorLine, euros } from "../components/bits.js";
import { apiFetch } from "../lib/api.js";
import { parseAmountCents, parseLocalDateTime, parseWholeNumber } from "../lib/field-errors.js";
import { useI18n } from "../lib/i18n.js";
import { brusselsLocalToIso, formatDateTime } from "../lib/time.js";
import { useSubmit } from "./use-submit.js";

/** R6: ask consent with the estimate told, record who consented, how and when; billable work only after it. */
export function ConsentPanel({ ticket, onSaved }: { ticket: TicketDetail; onSaved: (ticket: TicketDetail) => void }) {
  const { t, locale } = useI18n();
  const [estimateText, setEstimateText] = useState("");
  const [estimateAmount, setEstimateAmount] = useState("");
  const [entry, setEntry] = useState({ minutes: "", description: "", amount: "" });
  const ask = useSubmit();
  const bill = useSubmit();

  const request = (event: Event) => {
    event.preventDefault();
    void ask.run(async () => {
      // R6: the consent names the amount told; "abc" is refused here, never sent as no amount.
      const estimateAmountCents = parseAmountCents(estimateAmount, "consent.amount", true);
      const body = await apiFetch<{ ticket: TicketDetail }>(`/api/tickets/${ticket.id}/cost-consents`, { method: "POST", body: { estimateText, estimateAmountCents } });
      setEstimateText("");
      setEstimateAmount("");
      onSaved(body.ticket);
    });
  };
  const logWork = (event: Event) => {
    event.preventDefault();
    void bill.run(async () => {
      const minutes = parseWholeNumber(entry.minutes, "billable.minutes");
      const amountCents = parseAmountCents(entry.amount, "billable.amount", false);
      const body = await apiFetch<{ ticket: TicketDetail }>(`/api/tickets/${ticket.id}/billable-entries`, {
        method: "POST",
        body: { minutes, description: entry.description, amountCents },
      });
      setEntry({ minutes: "", description: "", amount: "" });
      onSaved(body.ticket);
    });
  };

  return (
    <section class="card panel" data-testid="consent-panel">
      <h2>{t("consent.title")}</h2>
      {ticket.costConsents.length === 0 && <p class="muted">{t("consent.none")}</p>}
      <ul class="plain">
        {ticket.costConsents.map((consent) => (
          <li>
            <Badge kind={`consent-${consent.status}`}>{t(`consent.status.${consent.status}`)}</Badge> {consent.estimateText} ({euros(consent.estimateAmountCents, locale)})
            {consent.decidedBy && (
              <span class="muted">
                {" "}
                — {t("consent.decided", { name: consent.decidedBy.name, method: t(`consent.method.${consent.method}`), time: formatDateTime(consent.decidedAt, locale) })}
              </span>
            )}
            {consent.status === "pending" && <ConsentDecision ticket={ticket} consent={consent} onSaved={onSaved} />}
          </li>
        ))}
      </ul>
      <form onSubmit={request} class="inline-form labelled" data-testid="consent-form" noValidate>
        <label class="grow">
          {t("consent.estimateText")}
          <input name="estimateText" value={estimateText} onInput={(e) => setEstimateText(e.currentTarget.value)} required maxLength={500} />
        </label>
        <label>
          {t("consent.amount")}
          <input name="estimateAmount" inputMode="decimal" value={estimateAmount} onInput={(e) => setEstimateAmount(e.currentTarget.value)} required size={8} />
        </label>
        <button type="submit" disabled={ask.busy}>
          {t("consent.request")}
        </button>
      </form>
      <ErrorLine message={ask.error} testId="consent-error" />

      <h3>{t("billable.title")}</h3>
      <ul class="plain">
        {ticket.billableEntries.map((item) => (
          <li>
            {item.minutes} min · {item.description} · {euros(item.amountCents, locale)} <span class="muted">{item.agent?.name ?? ""}</span>
          </li>
        ))}
      </ul>
      <form onSubmit={logWork} class="inline-form labelled" data-testid="billable-form" noValidate>
        <label>
          {t("billable.minutes")}
          <input name="minutes" inputMode="numeric" value={entry.minutes} onInput={(e) => setEntry({ ...entry, minutes: e.currentTarget.value })} required size={6} />
        </label>
        <label class="grow">
          {t("billable.description")}
          <input name="description" value={entry.description} onInput={(e) => setEntry({ ...entry, description: e.currentTarget.value })} required maxLength={500} />
        </label>
        <label>
          {t("billable.amount")}
          <input name="amount" inputMode="decimal" value={entry.amount} onInput={(e) => setEntry({ ...entry, amount: e.currentTarget.value })} size={8} />
        </label>
        <button type="submit" disabled={bill.busy}>
          {t("billable.log")}
        </button>
      </form>
      <ErrorLine message={bill.error} testId="billable-error" />
    </section>
  );
}

function ConsentDecision({ ticket, consent, onSaved }: { ticket: TicketDetail; consent: CostConsentPayload; onSaved: (ticket: TicketDetail) => void }) {
  const { t } = useI18n();
  const [personId, setPersonId] = useState(ticket.reporter?.id ? String(ticket.reporter.id) : String(ticket.customerPersons[0]?.id ?? ""));
  const [method, setMethod] = useState<string>("phone");
  const [when, setWhen] = useState("");
  const { busy, error, run } = useSubmit();
  const decide = (decision: "given" | "refused") =>
    void run(async () => {
      const decidedAt = parseLocalDateTime(when, "consent.when", false, brusselsLocalToIso);
      const body = await apiFetch<{ ticket: TicketDetail }>(`/api/cost-consents/${consent.id}/decision`, {
        method: "POST",
        body: { decision, personId: Number(personId), method, ...(decidedAt ? { decidedAt } : {}) },
      });
      onSaved(body.ticket);
    });
  return (
    <div class="inline-form">
      <select value={personId} onChange={(e) => setPersonId(e.currentTarget.value)} aria-label={t("consent.who")}>
        {ticket.customerPersons.map((person) => (
          <option value={String(person.id)}>{person.active ? person.name : `${person.name} (${t("person.inactive")})`}</option>
        ))}
      </select>
      <select value={method} onChange={(e) => setMethod(e.currentTarget.value)} aria-label={t("consent.how")}>
        {CONSENT_METHODS.map((m) => (
          <option value={m}>{t(`consent.method.${m}`)}</option>
        ))}
      </select>
      <input type="datetime-local" value={when} onInput={(e) => setWhen(e.currentTarget.value)} aria-label={t("consent.when")} />
      <button type="button" disabled={busy} onClick={() => decide("given")}>
        {t("consent.given")}
      </button>
      <button type="button" disabled={busy} onClick={() => decide("refused")}>
        {t("consent.refused")}
      </button>
      <ErrorLine message={error} />
    </div>
  );
}
