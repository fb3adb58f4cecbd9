import { useState } from "preact/hooks";
import type { CustomerSummary } from "../../../shared-types/console-payloads.js";
import { ErrorLine } from "../components/bits.js";
import { errorMessage } from "../i18n/index.js";
import { apiFetch } from "../lib/api.js";
import { useI18n } from "../lib/i18n.js";

/** Customer look-up by name, code, reference person or phone number. */
export function CustomersView() {
  const i18n = useI18n();
  const { t } = i18n;
  const [q, setQ] = useState("");
  const [results, setResults] = useState<CustomerSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const search = async (event: Event) => {
    event.preventDefault();
    setError(null);
    try {
      setResults((await apiFetch<{ items: CustomerSummary[] }>(`/api/customers?q=${encodeURIComponent(q.trim())}`)).items);
    } catch (failure) {
      setError(errorMessage(i18n, failure));
    }
  };

  return (
    <section>
      <h1>{t("nav.customers")}</h1>
      <form class="filters" onSubmit={search} data-testid="customer-search">
        <input type="search" placeholder={t("customers.searchPlaceholder")} value={q} onInput={(e) => setQ(e.currentTarget.value)} minLength={2} required />
        <button type="submit" class="primary">
          {t("common.search")}
        </button>
      </form>
      <ErrorLine message={error} />
      {results && results.length === 0 && <p class="muted">{t("customers.none")}</p>}
      {results && results.length > 0 && (
        <ul class="plain results" data-testid="customer-results">
          {results.map((customer) => (
            <li class="card">
              <a href={`#/customers/${customer.id}`}>
                <strong>{customer.name}</strong>
              </a>{" "}
              <span class="muted">{customer.code}</span>
              <div class="muted">{customer.campuses.map((campus) => campus.name).join(", ")}</div>
              {customer.matchedPersons.map((person) => (
                <div>
                  {person.name} · {t(`role.${person.role}`)} · {person.phoneNumbers.join(", ")}
                </div>
              ))}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
