import fs from "node:fs";
import path from "node:path";
import { expect } from "chai";
import { AGENT_ROLES, LANGUAGES, PRIORITIES, REFERENCE_ROLES, UI_LANGUAGES } from "../../../entities/enums.js";
import { projectRoot } from "../../../server/paths.js";

const adminDir = path.join(projectRoot, "agent-ui", "src", "admin");
const catalogs = Object.fromEntries(
  UI_LANGUAGES.map((language) => [language, JSON.parse(fs.readFileSync(path.join(adminDir, "i18n", `${language}.json`), "utf8")) as Record<string, string>]),
);
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

function sources(dir = adminDir): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(full);
    return /\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

describe("admin page translations (nl, fr, en)", () => {
  it("has the same keys in every language, none of them empty, with the same placeholders", () => {
    const reference = catalogs.en!;
    for (const language of UI_LANGUAGES) {
      const catalog = catalogs[language]!;
      const missing = Object.keys(reference).filter((key) => !(key in catalog));
      const extra = Object.keys(catalog).filter((key) => !(key in reference));
      expect({ language, missing, extra }).to.deep.equal({ language, missing: [], extra: [] });
      for (const [key, text] of Object.entries(catalog)) {
        expect(text.trim(), `${language} ${key}`).not.to.equal("");
        expect(placeholders(text), `${language} ${key}`).to.deep.equal(placeholders(reference[key]!));
      }
    }
  });

  it("has every key the admin pages use", () => {
    const used = new Set<string>();
    for (const file of sources()) {
      const text = fs.readFileSync(file, "utf8");
      for (const match of text.matchAll(/\bt\("([^"]+)"|\b(?:label|title): "([^"]+)"/g)) used.add(match[1] ?? match[2]!);
    }
    const dynamic = [
      ...REFERENCE_ROLES.map((r) => `role.${r}`),
      ...LANGUAGES.map((l) => `language.${l}`),
      ...AGENT_ROLES.map((r) => `agentRole.${r}`),
      ...PRIORITIES.map((p) => `priority.${p}`),
      ...["queued", "validating", "writing", "completed", "rejected", "failed"].map((s) => `import.status.${s}`),
    ];
    expect(used.size).to.be.greaterThan(100);
    for (const language of UI_LANGUAGES) {
      const missing = [...used, ...dynamic].filter((key) => !(key in catalogs[language]!));
      expect({ language, missing }).to.deep.equal({ language, missing: [] });
    }
  });

  it("translates every problem code the CSV import reports", () => {
    const codes = new Set<string>();
    for (const file of fs.readdirSync(path.join(projectRoot, "server", "import"))) {
      const text = fs.readFileSync(path.join(projectRoot, "server", "import", file), "utf8");
      for (const match of text.matchAll(/code: "([a-z_0-9]+)"|problem\("?[a-zA-Z]*"?,?\s*"([a-z_0-9]+)"|problem\((?:null|"[a-zA-Z]+"), "([a-z_0-9]+)"/g)) codes.add(match[1] ?? match[2] ?? match[3]!);
    }
    expect(codes.size).to.be.greaterThan(15);
    for (const language of UI_LANGUAGES) {
      const missing = [...codes].filter((code) => !(`import.problem.${code}` in catalogs[language]!));
      expect({ language, missing }).to.deep.equal({ language, missing: [] });
    }
  });
});
