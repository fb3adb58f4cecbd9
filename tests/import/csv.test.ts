import { expect } from "chai";
import { readCsv, detectDelimiter, mapColumns, streamCsv } from "../../server/import/csv.js";
import { CsvFileError } from "../../server/import/report.js";
import { parseDay, parseLanguage, parseRole, parseYesNo, splitList } from "../../server/import/values.js";

describe("CSV reading for imports", () => {
  it("detects semicolons, commas and tabs from the header line, ignoring quoted separators", () => {
    expect(detectDelimiter("a;b;c\n1,2;3")).to.equal(";");
    expect(detectDelimiter("a,b,c\n1;2;3")).to.equal(",");
    expect(detectDelimiter('"x;y",b,c\n')).to.equal(",");
    expect(detectDelimiter("a\tb\n")).to.equal("\t");
  });

  it("reads UTF-8 with a BOM and keeps accents", () => {
    const table = readCsv("\uFEFFklant;voornaam\r\nZORG;Élise\r\n");
    expect(table.header).to.deep.equal(["klant", "voornaam"]);
    expect(table.rows).to.deep.equal([{ row: 2, cells: ["ZORG", "Élise"] }]);
  });

  it("numbers rows by their line in the file, skipping blank lines and counting multi-line cells", () => {
    const table = readCsv('a,b\n1,2\n\n"multi\nline",3\n4,5\n');
    expect(table.rows.map((r) => r.row)).to.deep.equal([2, 4, 6]);
  });

  it("refuses an unclosed quote as a malformed file", () => {
    expect(() => readCsv('a,b\n1,"2\n3,4\n')).to.throw(CsvFileError).with.property("problems").that.satisfies((p: { code: string }[]) => p[0]!.code === "malformed_csv");
  });

  it("reports rows with another number of cells than the header as row problems", () => {
    const table = readCsv("a;b;c\n1;2;3\n1;2\n1;2;3;4\n");
    expect(table.rows).to.have.length(1);
    expect(table.problems.map((p) => [p.row, p.code])).to.deep.equal([[3, "wrong_column_count"], [4, "wrong_column_count"]]);
  });

  it("refuses text that was not UTF-8 and an empty file", () => {
    expect(() => readCsv("a;b\n\uFFFD;1\n")).to.throw(CsvFileError, /UTF-8/);
    expect(() => readCsv("\uFEFF \n")).to.throw(CsvFileError, /empty/);
  });

  it("maps header names in any case or spelling and refuses unknown or missing columns", () => {
    const columns = { firstName: { names: ["firstName", "voornaam"], required: true }, email: { names: ["email"], required: false } };
    expect(mapColumns(["Voornaam", "E-mail"], columns)).to.deep.equal({ firstName: 0, email: 1 });
    expect(mapColumns(["first_name"], columns)).to.deep.equal({ firstName: 0, email: null });
    expect(() => mapColumns(["naam", "email"], columns)).to.throw(CsvFileError, /missing.*Unknown column "naam"/s);
  });

  it("reads Belgian dates, yes/no in three languages, languages and roles", () => {
    expect(parseDay("31/12/2026")).to.equal("2026-12-31");
    expect(parseDay("1-2-2026")).to.equal("2026-02-01");
    expect(parseDay("2026-02-29")).to.equal(null);
    expect(parseDay("31.04.2026")).to.equal(null);
    expect([parseYesNo("Ja"), parseYesNo("non"), parseYesNo("x"), parseYesNo("misschien")]).to.deep.equal([true, false, true, null]);
    expect([parseLanguage("Français"), parseLanguage("NL"), parseLanguage("klingon")]).to.deep.equal(["fr", "nl", null]);
    expect([parseRole("Algemeen"), parseRole("technique"), parseRole("campus"), parseRole("baas")]).to.deep.equal(["general", "technical", "campus", null]);
    expect(splitList("0470 12 34 56 | 03/123.45.67, +32 (0)3 123 45 67")).to.deep.equal(["0470 12 34 56", "03/123.45.67", "+32 (0)3 123 45 67"]);
  });

  describe("as a stream", () => {
    /** The text's UTF-8 bytes in pieces of `size` bytes (characters and rows split between pieces). */
    async function* pieces(text: string, size: number): AsyncGenerator<Buffer> {
      const bytes = Buffer.from(text);
      for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
    }
    const streamed = async (text: string, size: number) => {
      const csv = await streamCsv(pieces(text, size));
      const rows: unknown[] = [];
      for await (const item of csv.rows) rows.push(item);
      return { delimiter: csv.delimiter, header: csv.header, rows };
    };

    it("reads what readCsv reads, whatever the piece size (a character or a quoted newline split over two pieces)", async () => {
      const text = '\uFEFFklant;voornaam;notitie\r\nZORG;Élise;"twee\nregels"\r\n\r\nZORG;Ørjan;€\r\nZORG;kort\r\n';
      const table = readCsv(text);
      for (const size of [1, 2, 3, 7, 64, 100_000]) {
        const result = await streamed(text, size);
        expect(result.header, `size ${size}`).to.deep.equal(table.header);
        expect(result.delimiter).to.equal(";");
        expect(result.rows.filter((r) => !("problem" in (r as object))), `size ${size}`).to.deep.equal(table.rows);
        expect(result.rows.filter((r) => "problem" in (r as object)).map((r) => (r as { problem: unknown }).problem)).to.deep.equal(table.problems);
      }
    });

    it("refuses bytes that are not UTF-8 with their line, an unclosed quote and an empty stream", async () => {
      const latin1 = Buffer.concat([Buffer.from("a;b\n1;2\n"), Buffer.from([0x45, 0x6c, 0xe9, 0x3b, 0x31, 0x0a])]);
      const bad = await streamCsv((async function* () { yield latin1; })()).then(async (csv) => {
        for await (const _ of csv.rows) void _;
      }).catch((error: CsvFileError) => error);
      expect(bad).to.be.instanceOf(CsvFileError);
      expect((bad as CsvFileError).problems[0]).to.include({ code: "not_utf8", row: 3 });
      const unclosed = await streamed('a,b\n1,"2\n3,4\n', 4).catch((error: CsvFileError) => error);
      expect((unclosed as CsvFileError).problems[0]!.code).to.equal("malformed_csv");
      const empty = await streamed("\uFEFF \n", 2).catch((error: CsvFileError) => error);
      expect((empty as CsvFileError).problems[0]!.code).to.equal("empty_file");
    });
  });
});
