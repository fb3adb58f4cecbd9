/** One problem found in an import file; `row` is the file's line number (the header is row 1), null for the whole file. */
export interface ImportProblem {
  row: number | null;
  /** Column name as the file spells it, or null for a problem with the whole row or file. */
  field: string | null;
  /** Stable code the admin page translates: invalid_number, unknown_customer, unknown_campus, duplicate_person … */
  code: string;
  message: string;
}

/** The kinds of records a CSV file can import. */
export const IMPORT_KINDS = ["persons", "contracts"] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

/** What a dry run (or a refused import) reports: every problem of every row, before anything is written. */
export interface ImportReport {
  kind: ImportKind;
  /** True when the file can be imported as it is. */
  ok: boolean;
  /** Delimiter found in the header line. */
  delimiter: ";" | "," | "\t" | null;
  /** Data rows read (blank lines not counted). */
  rows: number;
  /** Data rows without problems. */
  validRows: number;
  problems: ImportProblem[];
}

/** Thrown when a file cannot be read as CSV at all (unclosed quote, wrong columns, not UTF-8). */
export class CsvFileError extends Error {
  constructor(readonly problems: ImportProblem[]) {
    super(problems.map((p) => (p.row ? `row ${p.row}: ${p.message}` : p.message)).join("; "));
    this.name = "CsvFileError";
  }
}

/** Thrown inside the import transaction when rows have problems: nothing is written. */
export class ImportRejectedError extends Error {
  constructor(readonly report: ImportReport) {
    super(`The file has ${report.problems.length} problem(s); nothing was imported.`);
    this.name = "ImportRejectedError";
  }
}
