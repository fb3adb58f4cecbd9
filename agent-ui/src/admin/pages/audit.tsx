import { useState } from "preact/hooks";
import { useI18n } from "../../lib/i18n.js";
import { formatDateTime } from "../../lib/time.js";
import { useAsync } from "../../lib/use-async.js";
import { adminGet, type Page } from "../api.js";
import { ErrorBanner, Pager } from "../components.js";
import { errorText } from "../i18n/index.js";

interface Entry {
  id: number;
  actorAgentId: number | null;
  entityType: string;
  entityId: string | null;
  action: string;
  changes: Record<string, unknown> | null;
  createdAt: string;
}

/** The audit trail of administrative changes, newest first. */
export function AuditPage() {
  const i18n = useI18n();
  const { t, locale } = i18n;
  const [page, setPage] = useState(1);
  const entries = useAsync((signal) => adminGet<Page<Entry>>("/audit", { page, pageSize: 50 }, signal), [page]);
  return (
    <section data-testid="page-audit">
      <h2>{t("nav.audit")}</h2>
      <ErrorBanner message={entries.error ? errorText(i18n, entries.error) : null} />
      <table>
        <thead>
          <tr>
            <th>{t("audit.when")}</th>
            <th>{t("audit.who")}</th>
            <th>{t("audit.what")}</th>
            <th>{t("audit.action")}</th>
            <th>{t("audit.changes")}</th>
          </tr>
        </thead>
        <tbody>
          {(entries.data?.items ?? []).map((entry) => (
            <tr>
              <td>{formatDateTime(entry.createdAt, locale)}</td>
              <td>{entry.actorAgentId ?? "—"}</td>
              <td>
                {entry.entityType} {entry.entityId ?? ""}
              </td>
              <td>{entry.action}</td>
              <td class="changes">{entry.changes ? JSON.stringify(entry.changes) : ""}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {entries.data && <Pager page={entries.data.page} pageSize={entries.data.pageSize} total={entries.data.total} onPage={setPage} />}
    </section>
  );
}
