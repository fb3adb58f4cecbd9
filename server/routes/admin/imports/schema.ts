import { z } from "zod";
import { IMPORT_KINDS } from "../../../import/report.js";
import { queryFlag } from "../common-schema.js";

/** Path of the import routes: what the file holds. */
export const importKindParams = z.object({ kind: z.enum(IMPORT_KINDS) });

/** Query of POST /imports/:kind. */
export const importQuery = z.object({ dryRun: queryFlag.optional().describe("true: only check the file and report every row's problems") });

/** The CSV file, sent as the text/csv body (UTF-8, with or without BOM; ";" or "," separated; at most 20 MB), read as a stream. */
export const csvBody = z.string({ error: "send the CSV file as a text/csv body" }).min(1, "the file is empty");

export const importProblem = z.object({
  row: z.number().int().nullable().describe("line in the file (header = 1); null for the whole file"),
  field: z.string().nullable(),
  code: z.string(),
  message: z.string(),
});

export const importReport = z.object({
  kind: z.enum(IMPORT_KINDS),
  ok: z.boolean(),
  delimiter: z.string().nullable(),
  rows: z.number().int(),
  validRows: z.number().int(),
  problemCount: z.number().int().describe("every problem found; `problems` lists the first 10,000"),
  problems: z.array(importProblem),
});

export const importJob = z.object({
  id: z.string(),
  kind: z.enum(IMPORT_KINDS),
  status: z.enum(["queued", "validating", "writing", "completed", "rejected", "failed"]),
  total: z.number().int(),
  processed: z.number().int(),
  actorAgentId: z.number().int(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  durationMs: z.number().int().nullable(),
  report: importReport.nullable(),
  result: z.record(z.string(), z.number()).nullable(),
  timings: z.object({ validateMs: z.number().int(), writeMs: z.number().int() }).nullable().describe("time spent checking and writing, in ms"),
  error: z.string().nullable(),
});

export const jobParams = z.object({ id: z.uuid() });
