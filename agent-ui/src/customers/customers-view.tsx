import { useState } from "preact/hooks";
import type { CustomerSummary } from "../../../shared-types/console-payloads.js";
import { Badge, ErrorLine } from "../components/bits.js";
import { errorMessage } from "../i18n/index.js";
import { apiFetch } from "../lib/api.js";
import { useI18n } from "../lib/i18n.js";
import { formatDateTime } from "../lib/time.js";
import { useAsync } from "../lib/use-async.js";

const PAGE_SIZE = 20;

/** Customer look-up by name, code, reference person or phone number; before a search, the recent customers by page. */
export function CustomersView() {
  const i18n = useI18n();
  const { t, locale } = i18n;
  const [q, setQ] = useState("");
  const [results, setResults] = useState<CustomerSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [page, setPage] = useState(1);
  const recent = useAsync(
    (signal) => apiFetch<{ items: CustomerSummary[]; page: number; pageSize: number; total: number }>(`/api/customers?page=${page}&pageSize=${PAGE_SIZE}`, { signal }),
    [page],
  );

  const search = async (event: Event) => {
    event.preventDefault();
    setError(null);
    if (q.trim() === "") {
      setResults(null);
      return;
    }
    try {
      setResults((await apiFetch<{ items: CustomerSummary[] }>(`/api/customers?q=${encodeURIComponent(q.trim())}`)).items);
    } catch (failure) {
      setError(errorMessage(i18n, failure));
    }
  };

  const pages = recent.data ? Math.max(1, Math.ceil(recent.data.total / recent.data.pageSize)) : 1;
  return (
    <section>
      <h1>{t("nav.customers")}</h1>
      <form class="filters" role="search" onSubmit={search} data-testid="customer-search">
        <label class="inline">
          <span>{t("common.search")}</span>
          <input type="search" name="q" placeholder={t("customers.searchPlaceholder")} title={t("customers.searchPlaceholder")} value={q} onInput={(e) => setQ(e.currentTarget.value)} minLength={2} />
        </label>
        <button type="submit" class="primary">
          {t("common.search")}
        </button>
        {results && (
          <button type="button" class="link" onClick={() => { setQ(""); setResults(null); }} data-testid="customer-search-clear">
            {t("customers.showRecent")}
          </button>
        )}
      </form>
      <ErrorLine message={error} />
      {results && results.length === 0 && <p class="muted">{t("customers.none")}</p>}
      {results && results.length > 0 && <CustomerList customers={results} testId="customer-results" />}
      {!results && (
        <>
          <h2>{t("customers.recent")}</h2>
          <ErrorLine message={recent.error ? errorMessage(i18n, recent.error) : null} />
          {recent.data && recent.data.total === 0 && <p class="muted">{t("customers.none")}</p>}
          {recent.data && recent.data.items.length > 0 && (
            <CustomerList customers={recent.data.items} testId="customer-recent" lastTicket={(at) => (at ? t("customers.lastTicket", { time: formatDateTime(at, locale) }) : t("customers.noTickets"))} />
          )}
          {recent.data && recent.data.total > recent.data.pageSize && (
            <nav class="pager" aria-label={t("customers.pages")}>
              <button type="button" disabled={page <= 1} onClick={() => setPage(page - 1)} data-testid="customers-previous">
                {t("customers.previous")}
              </button>
              <span data-testid="customers-page">{t("customers.pageOf", { page, pages, total: recent.data.total })}</span>
              <button type="button" disabled={page >= pages} onClick={() => setPage(page + 1)} data-testid="customers-next">
                {t("customers.next")}
              </button>
            </nav>
          )}
        </>
      )}
    </section>
  );
}

function CustomerList({ customers, testId, lastTicket }: { customers: CustomerSummary[]; testId: string; lastTicket?: (at: string | null) => string }) {
  const { t } = useI18n();
  return (
    <ul class="plain results" data-testid={testId}>
      {customers.map((customer) => (
        <li class="card">
          <a href={`#/customers/${customer.id}`}>
            <strong>{customer.name}</strong>
          </a>{" "}
          <span class="muted">{customer.code}</span>
          {lastTicket && <span class="muted"> · {lastTicket(customer.lastTicketAt ?? null)}</span>}
          <div class="muted">{customer.campuses.map((campus) => campus.name).join(", ")}</div>
          {customer.matchedPersons.map((person) => (
            <div>
              {person.name} · {t(`role.${person.role}`)} · {person.phoneNumbers.join(", ")} {!person.active && <Badge kind="warning">{t("person.inactive")}</Badge>}
            </div>
          ))}
        </li>
      ))}
    </ul>
  );
}
