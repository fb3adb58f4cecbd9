import type { I18n } from "../../lib/i18n.js";
import type { ResourceSpec } from "../resource-page.js";

export interface CustomerRow {
  id: number;
  code: string;
  name: string;
  supplierName: string | null;
  supplierEmail: string | null;
}

/** Customers: code, name and the supplier the desk may notify. */
export function customerSpec(_i18n: I18n): ResourceSpec<CustomerRow> {
  return {
    path: "/customers",
    title: "nav.customers",
    describe: (row) => `${row.code} — ${row.name}`,
    columns: [
      { label: "customer.code", cell: (row) => row.code },
      { label: "customer.name", cell: (row) => row.name },
      { label: "customer.supplierName", cell: (row) => row.supplierName ?? "" },
    ],
    fields: [
      { name: "code", label: "customer.code", kind: "text", required: true, maxLength: 40 },
      { name: "name", label: "customer.name", kind: "text", required: true, maxLength: 200 },
      { name: "supplierName", label: "customer.supplierName", kind: "text", nullable: true, maxLength: 200 },
      { name: "supplierEmail", label: "customer.supplierEmail", kind: "email", nullable: true, maxLength: 200 },
    ],
    blank: () => ({ code: "", name: "", supplierName: "", supplierEmail: "" }),
    fromRow: (row) => ({ code: row.code, name: row.name, supplierName: row.supplierName ?? "", supplierEmail: row.supplierEmail ?? "" }),
  };
}
