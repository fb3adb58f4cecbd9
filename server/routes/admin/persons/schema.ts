import { z } from "zod";
import { LANGUAGES, REFERENCE_ROLES } from "../../../../entities/enums.js";
import { roleProblem } from "../../../commands/admin/person-rules.js";
import { PIN_PATTERN } from "../../../domain/pin.js";
import { pagePayload } from "../../../presenters/admin/common.js";
import { personPayload } from "../../../presenters/admin/person.js";
import { email, listQuery, optionalText, phoneNumber, queryId, text } from "../common-schema.js";

/** A PIN: 4 to 8 digits. */
export const pin = z.string().regex(PIN_PATTERN, "must be 4 to 8 digits");

const phoneNumbers = z
  .array(z.strictObject({ number: phoneNumber, label: optionalText(40) }))
  .max(10, "at most 10 numbers")
  .superRefine((numbers, ctx) => {
    const seen = new Set<string>();
    numbers.forEach((entry, index) => {
      if (seen.has(entry.number)) ctx.addIssue({ code: "custom", path: [index, "number"], message: "is listed twice" });
      seen.add(entry.number);
    });
  })
  .describe("registered numbers; a number may be shared with persons of other customers (R2 asks which one)");

const personFields = z.strictObject({
  customerId: z.number().int().positive(),
  campusId: z.number().int().positive().nullable().optional().describe("required for the campus role"),
  role: z.enum(REFERENCE_ROLES),
  firstName: text(100),
  lastName: text(100),
  email: email.nullable().optional(),
  language: z.enum(LANGUAGES).optional().describe("language the IVR speaks to this person; default nl"),
  active: z.boolean().optional(),
  phoneNumbers: phoneNumbers.optional(),
  pin: pin.optional().describe("optional initial PIN; unique over all persons"),
});

/** Body of POST /persons. */
export const createPersonBody = personFields.superRefine((person, ctx) => {
  const problem = roleProblem(person.role, person.campusId);
  if (problem) ctx.addIssue({ code: "custom", path: ["campusId"], message: problem });
});

/** Body of PATCH /persons/:id; `phoneNumbers` replaces the registered set. */
export const updatePersonBody = personFields.omit({ customerId: true, pin: true }).partial();

/** Body of PUT /persons/:id/pin: the new PIN, or nothing to have one generated (returned once). */
export const setPinBody = z.strictObject({ pin: pin.optional() });

export const setPinResult = z.object({ hasPin: z.literal(true), pin: z.string().optional().describe("only when generated") });

/** Query of GET /persons. */
export const listPersonsQuery = listQuery.extend({
  customerId: queryId.optional(),
  campusId: queryId.optional(),
  role: z.enum(REFERENCE_ROLES).optional(),
});

export const personPage = pagePayload(personPayload);

export const erasureResult = z.object({
  person: personPayload,
  summary: z.record(z.string(), z.number().int()).describe("records anonymised or deleted, per kind"),
});

export const personExport = z.object({
  exportedAt: z.string(),
  person: personPayload,
  phoneNumbers: z.array(z.object({ e164: z.string(), label: z.string().nullable() })),
  tickets: z.array(z.record(z.string(), z.unknown())),
  costConsents: z.array(z.record(z.string(), z.unknown())),
  calls: z.array(z.record(z.string(), z.unknown())),
  callbackRequests: z.array(z.record(z.string(), z.unknown())),
  remoteSessions: z.array(z.record(z.string(), z.unknown())),
  smsMessages: z.array(z.record(z.string(), z.unknown())),
  auditTrail: z.array(z.record(z.string(), z.unknown())),
});
