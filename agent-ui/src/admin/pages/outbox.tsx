import { useState } from "preact/hooks";
import { useI18n } from "../../lib/i18n.js";
import { formatDateTime } from "../../lib/time.js";
import { useAsync } from "../../lib/use-async.js";
import { adminGet, adminSend, type Page } from "../api.js";
import { ErrorBanner, Pager } from "../components.js";
import { errorText } from "../i18n/index.js";

interface DeadLetter {
  id: number;
  topic: string;
  payload: Record<string, unknown>;
  attempts: number;
  lastError: string | null;
  deliveredTo: string[];
  deadAt: string | null;
  createdAt: string;
}

/** The outbox messages the relay gave up on (administrators only), each with a retry once the cause is fixed. */
export function OutboxPage() {
  const i18n = useI18n();
  const { t, locale } = i18n;
  const [page, setPage] = useState(1);
  const [failure, setFailure] = useState<unknown>(null);
  const letters = useAsync((signal) => adminGet<Page<DeadLetter>>("/outbox/dead-letters", { page, pageSize: 50 }, signal), [page]);
  const retry = async (id: number) => {
    setFailure(null);
    try {
      await adminSend("POST", `/outbox/dead-letters/${id}/retry`);
      letters.reload();
    } catch (error) {
      setFailure(error);
    }
  };
  const error = failure ?? letters.error;
  return (
    <section data-testid="page-outbox">
      <h2>{t("nav.outbox")}</h2>
      <p class="muted">{t("outbox.explain")}</p>
      <ErrorBanner message={error ? errorText(i18n, error) : null} />
      {letters.data?.total === 0 && <p data-testid="outbox-empty">{t("outbox.none")}</p>}
      <table>
        <thead>
          <tr>
            <th>{t("outbox.written")}</th>
            <th>{t("outbox.topic")}</th>
            <th>{t("outbox.attempts")}</th>
            <th>{t("outbox.error")}</th>
            <th>{t("outbox.deliveredTo")}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {(letters.data?.items ?? []).map((letter) => (
            <tr data-testid={`dead-letter-${letter.id}`}>
              <td>{formatDateTime(letter.createdAt, locale)}</td>
              <td>
                {letter.topic} <span class="changes">{JSON.stringify(letter.payload)}</span>
              </td>
              <td>{letter.attempts}</td>
              <td class="changes">{letter.lastError ?? ""}</td>
              <td>{letter.deliveredTo.join(", ") || "—"}</td>
              <td>
                <button type="button" onClick={() => void retry(letter.id)} data-testid={`retry-${letter.id}`}>
                  {t("outbox.retry")}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {letters.data && <Pager page={letters.data.page} pageSize={letters.data.pageSize} total={letters.data.total} onPage={setPage} />}
    </section>
  );
}
