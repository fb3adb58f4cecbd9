import { parse } from "csv-parse/sync";
import { CsvFileError, type ImportProblem } from "./report.js";

/** A data row of a CSV file: its line number (header = 1) and its cells, trimmed. */
export interface CsvRow {
  row: number;
  cells: string[];
}

/** A parsed CSV file. */
export interface CsvTable {
  delimiter: ";" | "," | "\t";
  header: string[];
  rows: CsvRow[];
  /** Rows that could not be read as records of this header (their cell count differs); left out of `rows`. */
  problems: ImportProblem[];
}

/**
 * Picks the delimiter that occurs most often in the header line, outside quotes. Belgian Excel writes ";",
 * other tools ","; tabs come from copy-paste.
 */
export function detectDelimiter(text: string): ";" | "," | "\t" {
  const counts = { ";": 0, ",": 0, "\t": 0 };
  let quoted = false;
  for (const char of text) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === "\n" || char === "\r")) break;
    else if (!quoted && char in counts) counts[char as keyof typeof counts]++;
  }
  const best = (Object.entries(counts) as [";" | "," | "\t", number][]).sort((a, b) => b[1] - a[1])[0]!;
  return best[1] > 0 ? best[0] : ",";
}

/**
 * Reads CSV text (UTF-8 with or without BOM, ";" "," or tab separated). Files that cannot be read at all
 * (unclosed quote, text that is not UTF-8, empty) raise CsvFileError; rows with another number of cells than
 * the header become problems of those rows.
 */
export function readCsv(input: string): CsvTable {
  const text = input.replace(/^\uFEFF/, "");
  if (text.trim() === "") throw new CsvFileError([{ row: null, field: null, code: "empty_file", message: "The file is empty." }]);
  // Bytes that were not UTF-8 arrive as U+FFFD after decoding: Excel's "CSV" (Windows-1252) rather than "CSV UTF-8".
  const badLine = text.indexOf("\uFFFD");
  if (badLine >= 0) {
    const row = text.slice(0, badLine).split("\n").length;
    throw new CsvFileError([{ row, field: null, code: "not_utf8", message: "The file is not UTF-8 text; save it as \"CSV UTF-8\"." }]);
  }
  const delimiter = detectDelimiter(text);
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, { delimiter, relax_column_count: true, skip_empty_lines: true, info: true, relax_quotes: false }) as unknown as typeof records;
  } catch (error) {
    const csvError = error as Error & { code?: string; lines?: number };
    const message = csvError.code === "CSV_QUOTE_NOT_CLOSED" ? "A quote is opened but never closed." : `The file is not valid CSV: ${csvError.message}`;
    throw new CsvFileError([{ row: csvError.lines ?? null, field: null, code: "malformed_csv", message }]);
  }
  const all = records
    .map(({ record, info }) => {
      const newlines = record.reduce((sum, cell) => sum + (cell.match(/\r\n|\r|\n/g)?.length ?? 0), 0);
      return { row: info.lines - newlines, cells: record.map((cell) => cell.trim()) };
    })
    .filter((r) => r.cells.some((cell) => cell !== ""));
  const [header, ...rows] = all;
  if (!header) throw new CsvFileError([{ row: null, field: null, code: "empty_file", message: "The file is empty." }]);
  const width = header.cells.length;
  const problems: ImportProblem[] = rows
    .filter((r) => r.cells.length !== width)
    .map((r) => ({ row: r.row, field: null, code: "wrong_column_count", message: `Expected ${width} cells like the header, found ${r.cells.length}.` }));
  return { delimiter, header: header.cells, rows: rows.filter((r) => r.cells.length === width), problems };
}

/** A header cell reduced to letters and digits, lower case: "First name", "first_name" and "FirstName" all match. */
export function headerKey(name: string): string {
  return name.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/[^a-z0-9]/g, "");
}

/** Column of each known field (by its accepted header names); unknown or missing columns raise CsvFileError. */
export function mapColumns<F extends string>(header: string[], columns: Record<F, { names: string[]; required: boolean }>): Record<F, number | null> {
  const problems: ImportProblem[] = [];
  const index = {} as Record<F, number | null>;
  const claimed = new Set<number>();
  for (const [field, spec] of Object.entries(columns) as [F, { names: string[]; required: boolean }][]) {
    const keys = spec.names.map(headerKey);
    const found = header.findIndex((cell) => keys.includes(headerKey(cell)));
    index[field] = found >= 0 ? found : null;
    if (found >= 0) claimed.add(found);
    else if (spec.required) problems.push({ row: 1, field: spec.names[0]!, code: "missing_column", message: `The column "${spec.names[0]}" is missing.` });
  }
  header.forEach((cell, i) => {
    if (!claimed.has(i)) problems.push({ row: 1, field: cell, code: "unknown_column", message: `Unknown column "${cell}".` });
  });
  if (problems.length > 0) throw new CsvFileError(problems);
  return index;
}
