import type { CustomerDetail } from "../../../shared-types/console-payloads.js";
import { Badge, ErrorLine, TicketTable } from "../components/bits.js";
import { errorMessage } from "../i18n/index.js";
import { apiFetch } from "../lib/api.js";
import { useI18n } from "../lib/i18n.js";
import { useAsync } from "../lib/use-async.js";

/** One customer: campuses, reference persons, contracts with their standing, covered products, tickets. */
export function CustomerView({ customerId }: { customerId: number }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { data, error } = useAsync((signal) => apiFetch<{ customer: CustomerDetail }>(`/api/customers/${customerId}`, { signal }), [customerId]);
  if (error) return <ErrorLine message={errorMessage(i18n, error)} />;
  if (!data) return <p class="muted">{t("common.loading")}</p>;
  const customer = data.customer;
  return (
    <section data-testid="customer-view">
      <h1>
        {customer.name} <span class="muted">{customer.code}</span>
      </h1>
      {customer.supplierName && <p class="muted">{t("customer.supplier", { name: customer.supplierName })}</p>}
      <div class="panels">
        <section class="card panel">
          <h2>{t("customer.contracts")}</h2>
          <table>
            <tbody>
              {customer.contracts.map((contract) => (
                <tr>
                  <td>{contract.reference}</td>
                  <td>
                    {contract.validFrom} – {contract.validTo}
                  </td>
                  <td>
                    <Badge kind={contract.status === "active" ? "ok" : "danger"}>{t(`contract.${contract.status}`)}</Badge>
                  </td>
                  <td>{contract.slaPolicy?.name ?? "—"}</td>
                  <td>{contract.products.map((p) => p.name).join(", ")}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p>
            {t("pop.products")}: {customer.coveredProducts.map((p) => p.name).join(", ") || "—"}
          </p>
        </section>
        <section class="card panel wide-panel">
          <h2>{t("customer.persons")}</h2>
          {/* A list, not a six-column table: it wraps inside its card instead of running into the next one. */}
          <ul class="plain persons" data-testid="customer-persons">
            {customer.referencePersons.map((person) => (
              <li class={person.active ? "" : "inactive"} data-testid="customer-person">
                <strong>{person.name}</strong> {!person.active && <Badge kind="warning" testId="person-inactive">{t("person.inactive")}</Badge>}{" "}
                <span class="badge language">{person.language.toUpperCase()}</span>
                <div class="muted">
                  {t(`role.${person.role}`)}
                  {person.campus ? ` · ${person.campus.name}` : ""}
                </div>
                {(person.phoneNumbers.length > 0 || person.email) && (
                  <div class="contact">{[...person.phoneNumbers, ...(person.email ? [person.email] : [])].join(" · ")}</div>
                )}
              </li>
            ))}
          </ul>
        </section>
        <section class="card panel">
          <h2>{t("customer.campuses")}</h2>
          <ul class="plain">
            {customer.campuses.map((campus) => (
              <li>
                {campus.name}
                {campus.city ? ` (${campus.city})` : ""}
              </li>
            ))}
          </ul>
        </section>
      </div>
      <h2>{t("customer.openTickets")}</h2>
      <TicketTable tickets={customer.openTickets} showCustomer={false} />
      <h2>{t("customer.recentTickets")}</h2>
      <TicketTable tickets={customer.recentTickets} showCustomer={false} />
    </section>
  );
}
