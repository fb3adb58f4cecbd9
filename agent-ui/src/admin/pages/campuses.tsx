import type { I18n } from "../../lib/i18n.js";
import type { ResourceSpec } from "../resource-page.js";
import { customerOptions } from "./options.js";

export interface CampusRow {
  id: number;
  customerId: number;
  customer: { id: number; code: string; name: string } | null;
  name: string;
  city: string | null;
}

/** Campuses of customers. */
export function campusSpec(_i18n: I18n): ResourceSpec<CampusRow> {
  return {
    path: "/campuses",
    title: "nav.campuses",
    describe: (row) => row.name,
    filters: [{ name: "customerId", label: "campus.customer", options: customerOptions }],
    columns: [
      { label: "campus.customer", cell: (row) => row.customer?.name ?? "" },
      { label: "campus.name", cell: (row) => row.name },
      { label: "campus.city", cell: (row) => row.city ?? "" },
    ],
    fields: [
      { name: "customerId", label: "campus.customer", kind: "select", options: customerOptions, numeric: true, required: true, createOnly: true },
      { name: "name", label: "campus.name", kind: "text", required: true, maxLength: 200 },
      { name: "city", label: "campus.city", kind: "text", nullable: true, maxLength: 120 },
    ],
    blank: () => ({ customerId: "", name: "", city: "" }),
    fromRow: (row) => ({ customerId: String(row.customerId), name: row.name, city: row.city ?? "" }),
  };
}
