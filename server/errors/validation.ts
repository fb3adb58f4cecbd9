import type { z } from "zod";
import { badRequest } from "./http-error.js";

/** Parses with a zod schema; on failure a 400 that names every field at fault. */
export function validate<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fields = result.error.issues.map((issue) => ({ field: issue.path.join(".") || "(body)", message: issue.message }));
  throw badRequest("validation_failed", `Invalid ${fields.map((f) => f.field).join(", ")}: ${fields[0]!.message}`, { field: fields[0]!.field, fields });
}
