/** One problem found in an import file; `row` is the file's line number (the header is row 1), null for the whole file. */
export interface ImportProblem {
  row: number | null;
  /** Column name as the file spells it, or null for a problem with the whole row or file. */
  field: string | null;
  /** Stable code the admin page translates: invalid_number, unknown_customer, unknown_campus, duplicate_person … */
  code: string;
  message: string;
}

/** A data row of a file (line number, trimmed cells), as the checkers see it. */
export interface CheckedRow {
  row: number;
  cells: string[];
}

/** What a row checker says of one row: its problems, or the record it plans to write. */
export interface RowCheck<P> {
  problems: ImportProblem[];
  planned: P | null;
}

/** Checks one row at a time; remembers the rows before it (duplicates within the file). */
export type RowChecker<P> = (row: CheckedRow) => RowCheck<P>;

/** Runs a checker over a whole table read at once; problems of rows with a wrong cell count are merged in by row. */
export function checkTable<P>(table: { rows: CheckedRow[]; problems: ImportProblem[] }, check: RowChecker<P>): { problems: ImportProblem[]; planned: P[] } {
  const problems = [...table.problems];
  const planned: P[] = [];
  for (const row of table.rows) {
    const result = check(row);
    if (result.planned) planned.push(result.planned);
    else problems.push(...result.problems);
  }
  problems.sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
  return { problems, planned };
}

/**
 * Problems a report lists at most: a file of 250,000 bad rows must not become a report of a million objects
 * (the web process's memory, the answer's size). `problemCount` still counts them all.
 */
export const MAX_LISTED_PROBLEMS = 10_000;

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
  /** Every problem found, listed or not. */
  problemCount: number;
  /** The first MAX_LISTED_PROBLEMS problems, in file order. */
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
    super(`The file has ${report.problemCount} problem(s); nothing was imported.`);
    this.name = "ImportRejectedError";
  }
}
