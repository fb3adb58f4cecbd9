import type { I18n } from "../../lib/i18n.js";
import { Tag } from "../components.js";
import type { ResourceSpec } from "../resource-page.js";

type Target = { firstResponseMinutes: number; resolutionMinutes: number };

export interface SlaPolicyRow {
  id: number;
  name: string;
  twentyFourSeven: boolean;
  targets: Record<"critical" | "high" | "normal" | "low", Target>;
}

const asText = (targets: SlaPolicyRow["targets"]) =>
  Object.fromEntries(Object.entries(targets).map(([p, v]) => [p, { firstResponseMinutes: String(v.firstResponseMinutes), resolutionMinutes: String(v.resolutionMinutes) }]));

/** SLA policies: targets per priority in minutes, business hours or 24/7 (R9). */
export function slaPolicySpec({ t }: I18n): ResourceSpec<SlaPolicyRow> {
  return {
    path: "/sla-policies",
    title: "nav.slaPolicies",
    describe: (row) => row.name,
    columns: [
      { label: "sla.name", cell: (row) => row.name },
      { label: "sla.twentyFourSeven", cell: (row) => (row.twentyFourSeven ? <Tag kind="info">{t("sla.allHours")}</Tag> : <Tag kind="muted">{t("sla.businessHours")}</Tag>) },
      { label: "priority.critical", cell: (row) => `${row.targets.critical.firstResponseMinutes} / ${row.targets.critical.resolutionMinutes}` },
    ],
    fields: [
      { name: "name", label: "sla.name", kind: "text", required: true, maxLength: 100 },
      { name: "twentyFourSeven", label: "sla.twentyFourSeven", kind: "checkbox" },
      { name: "targets", label: "sla.targets", kind: "targets", required: true },
    ],
    blank: () => ({
      name: "",
      twentyFourSeven: false,
      targets: asText({
        critical: { firstResponseMinutes: 30, resolutionMinutes: 240 },
        high: { firstResponseMinutes: 60, resolutionMinutes: 480 },
        normal: { firstResponseMinutes: 240, resolutionMinutes: 1440 },
        low: { firstResponseMinutes: 480, resolutionMinutes: 2880 },
      }),
    }),
    fromRow: (row) => ({ name: row.name, twentyFourSeven: row.twentyFourSeven, targets: asText(row.targets) }),
  };
}
