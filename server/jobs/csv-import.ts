import { runImportJob } from "../import/import-run.js";
import { defineJob } from "./kind.js";

export interface CsvImportData {
  /** The import job (its state and stored upload in Redis) this BullMQ job runs. */
  importJobId: string;
}

/**
 * Runs an uploaded CSV import (reference persons or contracts) in a worker: the file is read back from Redis
 * as a stream, checked and written in batches in one transaction, all or nothing; progress goes to the import's
 * state (the admin page's progress bar) and to the job (the board). One at a time (the imports queue runs one job
 * per worker, and a Redis lock holds across workers). A database error retries once; a rejected file does not.
 */
export const csvImportJob = defineJob<CsvImportData>({
  name: "csv-import",
  queue: "imports",
  options: { attempts: 2, backoff: { type: "exponential", delay: 5000 } },
  handle: (context, data, job) => runImportJob(context, data.importJobId, job),
});
