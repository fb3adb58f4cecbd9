import type { AppContext } from "../../../context.js";
import { notFound } from "../../../errors/http-error.js";
import { CONTRACT_TEMPLATE } from "../../../import/contract-import.js";
import { dryRunImport, readImportJob, startImport } from "../../../import/import-jobs.js";
import { checkUploadHeaders, limitedBytes } from "../../../import/import-store.js";
import { PERSON_TEMPLATE } from "../../../import/person-import.js";
import type { RequestHandler } from "express";
import { ResourceRouter } from "../route-kit.js";
import { csvBody, importJob, importKindParams, importQuery, importReport, jobParams } from "./schema.js";

/**
 * CSV files of a whole customer base are far larger than the 200 kB JSON limit of the admin API, and are never
 * read into memory whole: the route streams the body (to the parser for a dry run, to Redis for an import),
 * up to 20 MB. This checks the headers first (media type, UTF-8, uncompressed, announced length).
 */
const csvUploadParser: RequestHandler = (req, _res, next) => {
  checkUploadHeaders(req.headers);
  next();
};

/** /api/admin/imports: bulk import of reference persons and contracts from CSV, with dry run and progress. */
export function importRoutes(context: AppContext): ResourceRouter {
  const api = new ResourceRouter("/imports", "Imports");
  api.route(
    {
      method: "post",
      path: "/:kind",
      summary: "Import a CSV file: with dryRun=true a report of every row's problems; otherwise an all-or-nothing import job (202)",
      description: "Answers 200 with the report for a dry run, 202 with the job for an import (poll GET /imports/jobs/{id}).",
      access: "admin",
      params: importKindParams,
      query: importQuery,
      body: csvBody,
      bodyType: "text/csv",
      streamsBody: true,
      before: [csvUploadParser],
      status: 202,
      response: importJob,
      errors: [409, 413, 415],
      otherResponses: { 200: { description: "Dry run: the report of every row's problems", schema: importReport } },
    },
    async ({ params, query, agent, req, res }) => {
      const upload = limitedBytes(req);
      if (query.dryRun) {
        res.status(200).json(await dryRunImport(context, params.kind, upload));
        return;
      }
      const { job } = await startImport(context, { kind: params.kind, upload, actorAgentId: agent.id });
      res.setHeader("Location", `/api/admin/imports/jobs/${job.id}`);
      return job;
    },
  );
  api.route({ method: "get", path: "/jobs/:id", summary: "Progress and outcome of an import job", access: "read", params: jobParams, response: importJob }, async ({ params }) => {
    const job = await readImportJob(context, params.id);
    if (!job) throw notFound(`Import job ${params.id}`);
    return job;
  });
  api.route({ method: "get", path: "/:kind/template", summary: "A CSV template to fill in", access: "read", params: importKindParams, responseType: "text/csv" }, ({ params, res }) => {
    res.type("text/csv; charset=utf-8").setHeader("Content-Disposition", `attachment; filename="${params.kind}-template.csv"`);
    res.send(params.kind === "persons" ? PERSON_TEMPLATE : CONTRACT_TEMPLATE);
  });
  return api;
}
