import type { I18n } from "../../lib/i18n.js";
import { Tag } from "../components.js";
import type { ResourceSpec } from "../resource-page.js";
import { customerOptions, productOptions, slaPolicyOptions } from "./options.js";

export interface ContractRow {
  id: number;
  reference: string;
  customerId: number;
  customer: { code: string; name: string } | null;
  validFrom: string;
  validTo: string;
  paid: boolean;
  slaPolicyId: number;
  slaPolicy: { name: string } | null;
  products: { id: number; code: string; name: string }[];
}

/** Maintenance contracts: validity, paid status, SLA policy and covered products (R4). */
export function contractSpec({ t }: I18n): ResourceSpec<ContractRow> {
  return {
    path: "/contracts",
    title: "nav.contracts",
    describe: (row) => row.reference,
    filters: [
      { name: "customerId", label: "contract.customer", options: customerOptions },
      { name: "paid", label: "contract.paid", options: [{ value: "true", label: t("common.yes") }, { value: "false", label: t("common.no") }] },
    ],
    columns: [
      { label: "contract.reference", cell: (row) => row.reference },
      { label: "contract.customer", cell: (row) => row.customer?.name ?? "" },
      { label: "contract.validity", cell: (row) => `${row.validFrom} → ${row.validTo}` },
      { label: "contract.paid", cell: (row) => (row.paid ? <Tag kind="ok">{t("common.yes")}</Tag> : <Tag kind="bad">{t("common.no")}</Tag>) },
      { label: "contract.products", cell: (row) => row.products.map((p) => p.code).join(", ") },
    ],
    fields: [
      { name: "reference", label: "contract.reference", kind: "text", required: true, maxLength: 60 },
      { name: "customerId", label: "contract.customer", kind: "select", options: customerOptions, numeric: true, required: true, createOnly: true },
      { name: "validFrom", label: "contract.validFrom", kind: "date", required: true },
      { name: "validTo", label: "contract.validTo", kind: "date", required: true },
      { name: "paid", label: "contract.paid", kind: "checkbox" },
      { name: "slaPolicyId", label: "contract.slaPolicy", kind: "select", options: slaPolicyOptions, numeric: true, required: true },
      { name: "productIds", label: "contract.products", kind: "checks", options: productOptions, numeric: true },
    ],
    blank: () => ({ reference: "", customerId: "", validFrom: "", validTo: "", paid: false, slaPolicyId: "", productIds: [] }),
    fromRow: (row) => ({
      reference: row.reference,
      customerId: String(row.customerId),
      validFrom: row.validFrom,
      validTo: row.validTo,
      paid: row.paid,
      slaPolicyId: String(row.slaPolicyId),
      productIds: row.products.map((p) => String(p.id)),
    }),
  };
}
