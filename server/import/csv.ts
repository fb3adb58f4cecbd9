import { Readable } from "node:stream";
import { parse as parseStream } from "csv-parse";
import { parse } from "csv-parse/sync";
import { CsvFileError, type ImportProblem } from "./report.js";

/** A data row of a CSV file: its line number (header = 1) and its cells, trimmed. */
export interface CsvRow {
  row: number;
  cells: string[];
}

/** A parsed CSV file. */
export interface CsvTable {
  delimiter: Delimiter;
  header: string[];
  rows: CsvRow[];
  /** Rows that could not be read as records of this header (their cell count differs); left out of `rows`. */
  problems: ImportProblem[];
}

/**
 * Picks the delimiter that occurs most often in the header line, outside quotes. Belgian Excel writes ";",
 * other tools ","; tabs come from copy-paste.
 */
export function detectDelimiter(text: string): Delimiter {
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

export type Delimiter = ";" | "," | "\t";

const EMPTY_FILE: ImportProblem = { row: null, field: null, code: "empty_file", message: "The file is empty." };
const PARSE_OPTIONS = { relax_column_count: true, skip_empty_lines: true, info: true, relax_quotes: false } as const;
type ParsedRecord = { record: string[]; info: { lines: number } };

/** Newlines in a piece of text (a CRLF counts once, like csv-parse counts lines). */
const newlines = (text: string) => text.match(/\r\n|\r|\n/g)?.length ?? 0;

/** Bytes that were not UTF-8 arrive as U+FFFD after decoding: Excel's "CSV" (Windows-1252) rather than "CSV UTF-8". */
function notUtf8(row: number): CsvFileError {
  return new CsvFileError([{ row, field: null, code: "not_utf8", message: "The file is not UTF-8 text; save it as \"CSV UTF-8\"." }]);
}

function malformed(error: unknown): unknown {
  const csvError = error as Error & { code?: string; lines?: number };
  if (typeof csvError?.code !== "string" || !csvError.code.startsWith("CSV_")) return error;
  const message = csvError.code === "CSV_QUOTE_NOT_CLOSED" ? "A quote is opened but never closed." : `The file is not valid CSV: ${csvError.message}`;
  return new CsvFileError([{ row: csvError.lines ?? null, field: null, code: "malformed_csv", message }]);
}

/** A parsed record as a row: numbered by the line it starts on (cells spanning lines counted back), cells trimmed; null when blank. */
function toRow({ record, info }: ParsedRecord): CsvRow | null {
  const cells = record.map((cell) => cell.trim());
  if (!cells.some((cell) => cell !== "")) return null;
  return { row: info.lines - record.reduce((sum, cell) => sum + newlines(cell), 0), cells };
}

function wrongWidth(row: CsvRow, width: number): ImportProblem {
  return { row: row.row, field: null, code: "wrong_column_count", message: `Expected ${width} cells like the header, found ${row.cells.length}.` };
}

/**
 * Reads CSV text (UTF-8 with or without BOM, ";" "," or tab separated). Files that cannot be read at all
 * (unclosed quote, text that is not UTF-8, empty) raise CsvFileError; rows with another number of cells than
 * the header become problems of those rows.
 */
export function readCsv(input: string): CsvTable {
  const text = input.replace(/^\uFEFF/, "");
  if (text.trim() === "") throw new CsvFileError([EMPTY_FILE]);
  const badLine = text.indexOf("\uFFFD");
  if (badLine >= 0) throw notUtf8(text.slice(0, badLine).split("\n").length);
  const delimiter = detectDelimiter(text);
  let records: ParsedRecord[];
  try {
    records = parse(text, { delimiter, ...PARSE_OPTIONS }) as unknown as ParsedRecord[];
  } catch (error) {
    throw malformed(error);
  }
  const all = records.map(toRow).filter((r): r is CsvRow => r !== null);
  const [header, ...rows] = all;
  if (!header) throw new CsvFileError([EMPTY_FILE]);
  const width = header.cells.length;
  const problems = rows.filter((r) => r.cells.length !== width).map((r) => wrongWidth(r, width));
  return { delimiter, header: header.cells, rows: rows.filter((r) => r.cells.length === width), problems };
}

/** A data row of a streamed file, or the problem of a row that has another number of cells than the header. */
export type CsvItem = CsvRow | { row: number; problem: ImportProblem };

/** A CSV file being read from a stream: its header at once, its rows as they come. */
export interface CsvStream {
  delimiter: Delimiter;
  header: string[];
  /** Data rows in file order (blank lines left out); may throw CsvFileError (not UTF-8, unclosed quote) part-way. */
  rows: AsyncIterable<CsvItem>;
  /** Stops reading (when the rows are not all wanted): the parser and the source are let go. */
  close(): Promise<void>;
}

/** True once `text` holds a whole first line (a line end outside quotes). */
function hasWholeFirstLine(text: string): boolean {
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === "\n" || char === "\r")) return true;
  }
  return false;
}

/** At most this much text is held to find the header line's end (the delimiter is detected on it). */
const HEADER_SCAN_LIMIT = 1024 * 1024;

/**
 * Decodes UTF-8 chunks as they come (a character split over two chunks is joined) and refuses the first
 * undecodable byte with its line number.
 */
async function* utf8Text(source: AsyncIterable<Buffer | Uint8Array | string>): AsyncGenerator<string> {
  const decoder = new TextDecoder("utf-8");
  let line = 1;
  const checked = (text: string) => {
    const bad = text.indexOf("\uFFFD");
    if (bad >= 0) throw notUtf8(line + (text.slice(0, bad).match(/\n/g)?.length ?? 0));
    line += text.match(/\n/g)?.length ?? 0;
    return text;
  };
  for await (const chunk of source) {
    const text = typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true });
    if (text) yield checked(text);
  }
  const rest = decoder.decode();
  if (rest) yield checked(rest);
}

/**
 * Reads CSV from a stream of bytes (an upload, a stored file) with csv-parse's streaming parser: only the
 * current chunk and the rows not yet consumed are in memory, and the parser waits while the consumer is busy
 * (writing a batch). Same rules as readCsv.
 */
export async function streamCsv(source: AsyncIterable<Buffer | Uint8Array | string>): Promise<CsvStream> {
  const text = utf8Text(source)[Symbol.asyncIterator]();
  let head = "";
  let ended = false;
  while (!hasWholeFirstLine(head) && head.length < HEADER_SCAN_LIMIT) {
    const next = await text.next();
    if (next.done) {
      ended = true;
      break;
    }
    head += next.value;
  }
  head = head.replace(/^\uFEFF/, "");
  if (ended && head.trim() === "") throw new CsvFileError([EMPTY_FILE]);
  const delimiter = detectDelimiter(head);

  const parser = parseStream({ delimiter, ...PARSE_OPTIONS });
  const input = Readable.from(
    (async function* () {
      if (head) yield head;
      if (ended) return;
      for (;;) {
        const next = await text.next();
        if (next.done) return;
        yield next.value;
      }
    })(),
    { objectMode: false },
  );
  input.on("error", (error) => parser.destroy(error));
  input.pipe(parser);

  const records = (async function* (): AsyncGenerator<CsvRow> {
    try {
      for await (const record of parser as AsyncIterable<ParsedRecord>) {
        const row = toRow(record);
        if (row) yield row;
      }
    } catch (error) {
      throw malformed(error);
    } finally {
      input.destroy();
      parser.destroy();
    }
  })();

  const first = await records.next();
  if (first.done) throw new CsvFileError([EMPTY_FILE]);
  const header = first.value.cells;
  const width = header.length;
  const rows = (async function* (): AsyncGenerator<CsvItem> {
    for await (const row of records) yield row.cells.length === width ? row : { row: row.row, problem: wrongWidth(row, width) };
  })();
  return {
    delimiter,
    header,
    rows,
    async close() {
      await records.return(undefined);
    },
  };
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
