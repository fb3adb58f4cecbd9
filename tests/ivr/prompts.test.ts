import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "chai";
import { LANGUAGES } from "../../entities/enums.js";
import { catalogs, placeholders, prompt } from "../../ivr-flows/prompts/index.js";

describe("IVR prompt catalogs (one per language, R8)", () => {
  const allKeys = [...new Set(LANGUAGES.flatMap((language) => Object.keys(catalogs[language])))].sort();

  for (const language of LANGUAGES) {
    it(`has every prompt key in ${language}, none empty, none extra`, () => {
      const keys = Object.keys(catalogs[language]).sort();
      const missing = allKeys.filter((key) => !keys.includes(key));
      expect(missing, `missing in ${language}`).to.deep.equal([]);
      for (const [key, text] of Object.entries(catalogs[language])) expect(String(text).trim(), `${language}.${key}`).to.not.equal("");
    });

    it(`uses the same placeholders in ${language} as in English`, () => {
      for (const key of allKeys) {
        const reference = placeholders((catalogs.en as Record<string, string>)[key] ?? "");
        expect(placeholders((catalogs[language] as Record<string, string>)[key] ?? ""), `${language}.${key}`).to.deep.equal(reference);
      }
    });
  }

  it("fills placeholders and refuses a missing one", () => {
    expect(prompt("nl", "ticketNumber", { number: "2 0 2 6" })).to.equal("Uw ticketnummer is 2 0 2 6. Ik herhaal: 2 0 2 6.");
    expect(() => prompt("nl", "ticketNumber")).to.throw(/needs \{number\}/);
  });

  it("keeps spoken text out of the flow code: no <Say> text is a string literal in ivr-flows/", () => {
    const root = fileURLToPath(new URL("../../ivr-flows/", import.meta.url));
    const sources = fs.readdirSync(root, { recursive: true }).map(String).filter((file) => file.endsWith(".js") && !file.startsWith("prompts"));
    for (const file of sources) {
      const code = fs.readFileSync(path.join(root, file), "utf8");
      expect(code, file).to.not.match(/\.say\([^)]*,\s*["'`]/);
    }
  });
});
