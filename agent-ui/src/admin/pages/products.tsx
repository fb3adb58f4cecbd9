import type { I18n } from "../../lib/i18n.js";
import { Tag } from "../components.js";
import type { ResourceSpec } from "../resource-page.js";

export interface ProductRow {
  id: number;
  code: string;
  name: string;
  spokenNames: Record<string, string>;
  active: boolean;
}

/** Software packages and their spoken names for the IVR. */
export function productSpec({ t }: I18n): ResourceSpec<ProductRow> {
  return {
    path: "/products",
    title: "nav.products",
    describe: (row) => `${row.code} — ${row.name}`,
    columns: [
      { label: "product.code", cell: (row) => row.code },
      { label: "product.name", cell: (row) => row.name },
      { label: "product.active", cell: (row) => (row.active ? <Tag kind="ok">{t("common.yes")}</Tag> : <Tag kind="muted">{t("common.no")}</Tag>) },
    ],
    fields: [
      { name: "code", label: "product.code", kind: "text", required: true, maxLength: 40 },
      { name: "name", label: "product.name", kind: "text", required: true, maxLength: 200 },
      { name: "spokenNames", label: "product.spokenNames", kind: "spoken" },
      { name: "active", label: "product.active", kind: "checkbox" },
    ],
    blank: () => ({ code: "", name: "", spokenNames: {}, active: true }),
    fromRow: (row) => ({ code: row.code, name: row.name, spokenNames: { ...row.spokenNames }, active: row.active }),
  };
}
