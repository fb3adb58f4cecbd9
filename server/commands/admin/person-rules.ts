import type { ReferenceRole } from "../../../entities/enums.js";

/** Identity of a person within a customer: same customer and same first and last name (case and spacing ignored). */
export function personKey(customerId: number, firstName: string, lastName: string): string {
  const clean = (value: string) => value.normalize("NFC").trim().replace(/\s+/g, " ").toLocaleLowerCase("nl-BE");
  return `${customerId}|${clean(firstName)}|${clean(lastName)}`;
}

/** R3 role rules: a campus reference person needs the campus they stand for. Null when the combination is fine. */
export function roleProblem(role: ReferenceRole, campusId: number | null | undefined): string | null {
  if (role === "campus" && (campusId === null || campusId === undefined)) return "a campus reference person needs a campus";
  return null;
}
