import { z } from "zod";
import { tryNormalizePhoneNumber } from "../../domain/phone.js";

// Control characters have no place in names and would break CSV exports and logs.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;

/** A required single-line text, trimmed, 1..max characters. Stored verbatim otherwise (no HTML escaping). */
export const text = (max: number) =>
  z.string().trim().min(1, "is required").max(max, `must be at most ${max} characters`).refine((value) => !CONTROL_CHARS.test(value), "must not contain control characters");

/** An optional text; null clears it. */
export const optionalText = (max: number) => text(max).nullable().optional();

/** An e-mail address (lower-cased), at most 200 characters. */
export const email = z.email("must be an e-mail address").max(200).transform((value) => value.toLowerCase());

/** A phone number in any Belgian or international notation, normalised to E.164. */
export const phoneNumber = z
  .string()
  .max(40, "must be at most 40 characters")
  .describe("any notation: 0470 12 34 56, 03/123.45.67, +32 (0)3 123 45 67; stored as E.164")
  .transform((raw, ctx) => {
    const e164 = tryNormalizePhoneNumber(raw);
    if (!e164) {
      ctx.addIssue({ code: "custom", message: "is not a valid phone number" });
      return z.NEVER;
    }
    return e164;
  });

/** A path id. */
export const idParams = z.object({ id: z.coerce.number().int().positive() });

/** A calendar day, YYYY-MM-DD. */
export const isoDay = z.iso.date("must be a date YYYY-MM-DD");

/** A boolean query flag: "true" or "false". */
export const queryFlag = z.enum(["true", "false"]).transform((value) => value === "true");

/** Page, page size and search of every list. */
export const listQuery = z.object({
  page: z.coerce.number().int().min(1).default(1).describe("page number, from 1"),
  pageSize: z.coerce.number().int().min(1).max(200).default(25),
  q: z.string().trim().max(200).optional().describe("search text"),
});

/** A positive id in a query string. */
export const queryId = z.coerce.number().int().positive();
