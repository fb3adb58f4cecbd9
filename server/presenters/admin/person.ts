import { z } from "zod";
import { LANGUAGES, REFERENCE_ROLES } from "../../../entities/enums.js";
import type { PhoneNumber } from "../../../entities/PhoneNumber.js";
import type { ReferencePerson } from "../../../entities/ReferencePerson.js";
import { timestamp } from "./common.js";
import { iso, isoOrNull } from "../format.js";

export const phoneNumberPayload = z.object({
  e164: z.string().describe("E.164, e.g. +32470123456"),
  label: z.string().nullable(),
});

export const personPayload = z.object({
  id: z.number().int(),
  customerId: z.number().int(),
  customer: z.object({ id: z.number().int(), code: z.string(), name: z.string() }).nullable(),
  campusId: z.number().int().nullable(),
  campus: z.object({ id: z.number().int(), name: z.string() }).nullable(),
  role: z.enum(REFERENCE_ROLES),
  firstName: z.string(),
  lastName: z.string(),
  email: z.string().nullable(),
  language: z.enum(LANGUAGES),
  active: z.boolean(),
  hasPin: z.boolean().describe("whether a PIN is set; the PIN itself is never returned"),
  erasedAt: timestamp.nullable(),
  phoneNumbers: z.array(phoneNumberPayload),
  createdAt: timestamp,
  updatedAt: timestamp,
});
export type PersonPayload = z.infer<typeof personPayload>;

/** A phone number of a reference person. */
export function presentPhoneNumber(number: Pick<PhoneNumber, "e164" | "label">): z.infer<typeof phoneNumberPayload> {
  return { e164: number.e164, label: number.label };
}

/** A reference person with numbers; the PIN hash is reduced to `hasPin`. */
export function presentPerson(person: ReferencePerson): PersonPayload {
  return {
    id: person.id,
    customerId: person.customerId,
    customer: person.customer ? { id: person.customer.id, code: person.customer.code, name: person.customer.name } : null,
    campusId: person.campusId,
    campus: person.campus ? { id: person.campus.id, name: person.campus.name } : null,
    role: person.role,
    firstName: person.firstName,
    lastName: person.lastName,
    email: person.email,
    language: person.language,
    active: Boolean(person.active),
    hasPin: person.pinHash !== null,
    erasedAt: isoOrNull(person.erasedAt),
    phoneNumbers: [...(person.phoneNumbers ?? [])].sort((a, b) => a.id - b.id).map(presentPhoneNumber),
    createdAt: iso(person.createdAt),
    updatedAt: iso(person.updatedAt),
  };
}
