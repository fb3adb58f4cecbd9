import { expect } from "chai";
import { readCsv, detectDelimiter, mapColumns } from "../../server/import/csv.js";
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
});
