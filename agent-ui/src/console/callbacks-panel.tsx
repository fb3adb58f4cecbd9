import { useState } from "preact/hooks";
import { ErrorLine } from "../components/bits.js";
import { errorMessage } from "../i18n/index.js";
import { apiFetch } from "../lib/api.js";
import { useI18n } from "../lib/i18n.js";
import { formatDuration, secondsSince, useNow } from "../lib/time.js";
import { useLive } from "./live.js";

/** Callers waiting to be called back (they keep their place in the queue); taking one makes the desk dial. */
export function CallbacksPanel() {
  const i18n = useI18n();
  const { t } = i18n;
  const { state, dispatch } = useLive();
  const now = useNow();
  const [error, setError] = useState<string | null>(null);
  if (state.callbacks.length === 0) return null;

  const take = async (id: number) => {
    setError(null);
    try {
      await apiFetch(`/api/callbacks/${id}/accept`, { method: "POST" });
      dispatch({ type: "callbackClosed", callbackId: id });
    } catch (failure) {
      setError(errorMessage(i18n, failure));
    }
  };

  return (
    <section class="callbacks" data-testid="callbacks">
      <h2>{t("callback.title")}</h2>
      <ErrorLine message={error} />
      {state.callbacks.map((offer) => (
        <article class="card">
          <strong>{offer.callerName ?? offer.phoneNumber}</strong> <span class="badge language">{offer.language.toUpperCase()}</span>
          <div class="muted">
            {offer.ticketNumber ?? ""} · {t("callback.waiting", { duration: formatDuration(secondsSince(offer.queuedAt, now)) })}
          </div>
          <button type="button" class="primary" onClick={() => take(offer.id)}>
            {t("callback.take")}
          </button>
        </article>
      ))}
    </section>
  );
}
