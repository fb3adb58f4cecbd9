import { In, IsNull, type EntityManager } from "typeorm";
import { Campus } from "../../entities/Campus.js";
import { Customer } from "../../entities/Customer.js";
import type { ReferenceRole } from "../../entities/enums.js";
import { ReferencePerson } from "../../entities/ReferencePerson.js";

/** R3 report for one customer. It is only a flag for administration: it never blocks a known caller. */
export interface ReferenceCompleteness {
  /** True when every campus has a campus reference person and a general and a technical one exist. */
  complete: boolean;
  /** Campuses that no active campus reference person is designated for. */
  campusesWithoutReference: { id: number; name: string }[];
  hasGeneral: boolean;
  hasTechnical: boolean;
  /** Stable codes of what is missing, for the UI to translate: "campus:<campusId>", "general", "technical". */
  missing: string[];
}

/** What the rule needs to know about a reference person; inactive or erased persons do not count. */
export type CompletenessPerson = Pick<ReferencePerson, "role" | "campusId"> & Partial<Pick<ReferencePerson, "active" | "erasedAt">>;

/** R3 over a customer's campuses and reference persons: one campus person per campus, one general, one technical. */
export function referenceCompleteness(campuses: Pick<Campus, "id" | "name">[], persons: CompletenessPerson[]): ReferenceCompleteness {
  const counting = persons.filter((person) => person.active !== false && !person.erasedAt);
  const has = (role: ReferenceRole) => counting.some((person) => person.role === role);
  // Only the campus role covers a campus: a general contact who happens to work there does not.
  const coveredCampusIds = new Set(counting.filter((p) => p.role === "campus" && p.campusId !== null).map((p) => p.campusId));
  const campusesWithoutReference = campuses
    .filter((campus) => !coveredCampusIds.has(campus.id))
    .map((campus) => ({ id: campus.id, name: campus.name }));
  const hasGeneral = has("general");
  const hasTechnical = has("technical");
  const missing = [
    ...campusesWithoutReference.map((campus) => `campus:${campus.id}`),
    ...(hasGeneral ? [] : ["general"]),
    ...(hasTechnical ? [] : ["technical"]),
  ];
  return { complete: missing.length === 0, campusesWithoutReference, hasGeneral, hasTechnical, missing };
}

/** The R3 report of one customer (two queries). */
export async function loadReferenceCompleteness(manager: EntityManager, customerId: number): Promise<ReferenceCompleteness> {
  const campuses = await manager.getRepository(Campus).find({ where: { customerId }, select: { id: true, name: true }, order: { name: "ASC" } });
  const persons = await manager.getRepository(ReferencePerson).find({
    where: { customerId, active: true, erasedAt: IsNull() },
    select: { id: true, role: true, campusId: true },
  });
  return referenceCompleteness(campuses, persons);
}

/** The R3 report of every customer (or of the given ones), keyed by customer id; three queries whatever the count. */
export async function loadAllReferenceCompleteness(manager: EntityManager, customerIds?: number[]): Promise<Map<number, ReferenceCompleteness>> {
  if (customerIds && customerIds.length === 0) return new Map();
  const byCustomer = customerIds ? { customerId: In(customerIds) } : {};
  const customers = await manager.getRepository(Customer).find({
    where: customerIds ? { id: In(customerIds) } : {},
    select: { id: true },
    order: { id: "ASC" },
  });
  const campuses = await manager.getRepository(Campus).find({
    where: byCustomer,
    select: { id: true, name: true, customerId: true },
    order: { name: "ASC" },
  });
  const persons = await manager.getRepository(ReferencePerson).find({
    where: { ...byCustomer, active: true, erasedAt: IsNull() },
    select: { id: true, role: true, campusId: true, customerId: true },
  });
  const campusesOf = groupBy(campuses, (campus) => campus.customerId);
  const personsOf = groupBy(persons, (person) => person.customerId);
  const report = new Map<number, ReferenceCompleteness>();
  for (const customer of customers) {
    report.set(customer.id, referenceCompleteness(campusesOf.get(customer.id) ?? [], personsOf.get(customer.id) ?? []));
  }
  return report;
}

function groupBy<T>(rows: T[], key: (row: T) => number): Map<number, T[]> {
  const groups = new Map<number, T[]>();
  for (const row of rows) {
    const list = groups.get(key(row));
    if (list) list.push(row);
    else groups.set(key(row), [row]);
  }
  return groups;
}
