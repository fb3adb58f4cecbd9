import { adminGet, type Page } from "../api.js";
import type { Option } from "../fields.js";

/** Customers as choices (first 200 by name). */
export async function customerOptions(): Promise<Option[]> {
  const page = await adminGet<Page<{ id: number; code: string; name: string }>>("/customers", { pageSize: 200 });
  return page.items.map((c) => ({ value: String(c.id), label: `${c.code} — ${c.name}` }));
}

/** Campuses of one customer as choices. */
export async function campusOptions(customerId: string | undefined): Promise<Option[]> {
  if (!customerId) return [];
  const page = await adminGet<Page<{ id: number; name: string }>>("/campuses", { customerId, pageSize: 200 });
  return page.items.map((c) => ({ value: String(c.id), label: c.name }));
}

/** SLA policies as choices. */
export async function slaPolicyOptions(): Promise<Option[]> {
  const page = await adminGet<Page<{ id: number; name: string }>>("/sla-policies", { pageSize: 200 });
  return page.items.map((p) => ({ value: String(p.id), label: p.name }));
}

/** Products as choices. */
export async function productOptions(): Promise<Option[]> {
  const page = await adminGet<Page<{ id: number; code: string; name: string }>>("/products", { pageSize: 200 });
  return page.items.map((p) => ({ value: String(p.id), label: `${p.code} — ${p.name}` }));
}

/** Fixed choices whose labels come from the catalog (`${prefix}.${value}`). */
export function translatedOptions(values: readonly string[], prefix: string, t: (key: string) => string): Option[] {
  return values.map((value) => ({ value, label: t(`${prefix}.${value}`) }));
}
