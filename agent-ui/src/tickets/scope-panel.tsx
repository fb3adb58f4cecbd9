import { useState } from "preact/hooks";
import { HARDWARE_LIKE_CATEGORIES, OUT_OF_SCOPE_CATEGORIES, type OutOfScopeCategory } from "../../../entities/enums.js";
import type { TicketDetail } from "../../../shared-types/console-payloads.js";
import { Badge, ErrorLine } from "../components/bits.js";
import { apiFetch } from "../lib/api.js";
import { useI18n } from "../lib/i18n.js";
import { formatDateTime } from "../lib/time.js";
import { useSubmit } from "./use-submit.js";

/** R5: in scope, or out of scope with a category; hardware-like problems need diagnosis and advice, and may notify the supplier. */
export function ScopePanel({ ticket, onSaved }: { ticket: TicketDetail; onSaved: (ticket: TicketDetail) => void }) {
  const { t, locale } = useI18n();
  const [verdict, setVerdict] = useState<"in_scope" | "out_of_scope">(ticket.scope === "out_of_scope" ? "out_of_scope" : "in_scope");
  const [category, setCategory] = useState<OutOfScopeCategory>(ticket.scopeCategory ?? "hardware");
  const [diagnosis, setDiagnosis] = useState(ticket.scopeDiagnosis ?? "");
  const [advice, setAdvice] = useState(ticket.scopeAdvice ?? "");
  const [notifySupplier, setNotifySupplier] = useState(false);
  const { busy, error, run } = useSubmit();
  const hardwareLike = verdict === "out_of_scope" && HARDWARE_LIKE_CATEGORIES.includes(category);

  const save = (event: Event) => {
    event.preventDefault();
    const body =
      verdict === "in_scope"
        ? { verdict }
        : { verdict, category, diagnosis: diagnosis || null, advice: advice || null, notifySupplier: hardwareLike && notifySupplier };
    void run(async () => onSaved((await apiFetch<{ ticket: TicketDetail }>(`/api/tickets/${ticket.id}/scope`, { method: "PUT", body })).ticket));
  };

  return (
    <form class="card panel" onSubmit={save} data-testid="scope-panel">
      <h2>
        {t("scope.title")} <Badge kind={`scope-${ticket.scope}`}>{t(`scope.${ticket.scope}`)}</Badge>
      </h2>
      {ticket.scope === "out_of_scope" && <p class="warning">{t("scope.costNotice")}</p>}
      {ticket.supplierNotifiedAt && <p class="muted">{t("scope.supplierNotified", { time: formatDateTime(ticket.supplierNotifiedAt, locale), name: ticket.supplier?.name ?? "" })}</p>}
      <div class="grid">
        <label>
          {t("scope.verdict")}
          <select name="verdict" value={verdict} onChange={(e) => setVerdict(e.currentTarget.value as typeof verdict)}>
            <option value="in_scope">{t("scope.in_scope")}</option>
            <option value="out_of_scope">{t("scope.out_of_scope")}</option>
          </select>
        </label>
        {verdict === "out_of_scope" && (
          <label>
            {t("scope.category")}
            <select name="category" value={category} onChange={(e) => setCategory(e.currentTarget.value as OutOfScopeCategory)}>
              {OUT_OF_SCOPE_CATEGORIES.map((c) => (
                <option value={c}>{t(`scopeCategory.${c}`)}</option>
              ))}
            </select>
          </label>
        )}
      </div>
      {verdict === "out_of_scope" && (
        <>
          <label>
            {t("scope.diagnosis")}
            {hardwareLike ? " *" : ""}
            <textarea name="diagnosis" rows={2} value={diagnosis} onInput={(e) => setDiagnosis(e.currentTarget.value)} />
          </label>
          <label>
            {t("scope.advice")}
            {hardwareLike ? " *" : ""}
            <textarea name="advice" rows={2} value={advice} onInput={(e) => setAdvice(e.currentTarget.value)} />
          </label>
          {hardwareLike && ticket.supplier?.name && (
            <label class="inline">
              <input type="checkbox" checked={notifySupplier} onChange={(e) => setNotifySupplier(e.currentTarget.checked)} /> {t("scope.notifySupplier", { name: ticket.supplier.name })}
            </label>
          )}
        </>
      )}
      <ErrorLine message={error} />
      <button type="submit" disabled={busy}>
        {t("scope.record")}
      </button>
    </form>
  );
}
