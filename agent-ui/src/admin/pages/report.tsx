import { useState } from "preact/hooks";
import { useI18n } from "../../lib/i18n.js";
import { useAsync } from "../../lib/use-async.js";
import { adminGet } from "../api.js";
import { ErrorBanner, Pager, SearchBar, Tag } from "../components.js";
import { errorText } from "../i18n/index.js";

interface Line {
  customer: { id: number; code: string; name: string };
  complete: boolean;
  hasGeneral: boolean;
  hasTechnical: boolean;
  campusesWithoutReference: { id: number; name: string }[];
}

interface ReportPage {
  items: Line[];
  page: number;
  pageSize: number;
  total: number;
  incompleteCustomers: number;
}

/** R3: per customer, campuses without a reference person and whether the general and technical roles are filled. */
export function ReferenceReportPage() {
  const i18n = useI18n();
  const { t } = i18n;
  const [query, setQuery] = useState({ q: "", page: 1, incompleteOnly: true });
  const report = useAsync((signal) => adminGet<ReportPage>("/reports/reference-completeness", { q: query.q, page: query.page, pageSize: 25, incompleteOnly: query.incompleteOnly }, signal), [query]);
  const yesNo = (filled: boolean, testId: string) => (filled ? <Tag kind="ok" testId={testId}>{t("report.filled")}</Tag> : <Tag kind="bad" testId={testId}>{t("report.missing")}</Tag>);
  return (
    <section data-testid="page-report">
      <h2>{t("nav.report")}</h2>
      <p class="muted">{t("report.explain")}</p>
      <SearchBar value={query.q} onSearch={(q) => setQuery({ ...query, q, page: 1 })}>
        <label class="inline">
          <input type="checkbox" checked={query.incompleteOnly} onChange={(e) => setQuery({ ...query, page: 1, incompleteOnly: e.currentTarget.checked })} data-testid="incomplete-only" />
          {t("report.incompleteOnly")}
        </label>
      </SearchBar>
      <ErrorBanner message={report.error ? errorText(i18n, report.error) : null} />
      {report.data && <p data-testid="report-count">{t("report.count", { count: report.data.incompleteCustomers })}</p>}
      <table data-testid="report-table">
        <thead>
          <tr>
            <th>{t("customer.name")}</th>
            <th>{t("report.status")}</th>
            <th>{t("role.general")}</th>
            <th>{t("role.technical")}</th>
            <th>{t("report.campusesWithout")}</th>
          </tr>
        </thead>
        <tbody>
          {(report.data?.items ?? []).map((line) => (
            <tr data-testid="report-line">
              <td>
                {line.customer.code} — {line.customer.name}
              </td>
              <td>{line.complete ? <Tag kind="ok">{t("report.complete")}</Tag> : <Tag kind="bad">{t("report.incomplete")}</Tag>}</td>
              <td>{yesNo(line.hasGeneral, "general")}</td>
              <td>{yesNo(line.hasTechnical, "technical")}</td>
              <td data-testid="campuses-without">{line.campusesWithoutReference.map((c) => c.name).join(", ") || "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {report.data && report.data.total === 0 && <p class="muted">{t("report.none")}</p>}
      {report.data && <Pager page={report.data.page} pageSize={report.data.pageSize} total={report.data.total} onPage={(page) => setQuery({ ...query, page })} />}
    </section>
  );
}
