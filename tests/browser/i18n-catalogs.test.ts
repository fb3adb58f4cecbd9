import fs from "node:fs";
import path from "node:path";
import { expect } from "chai";
import {
  AGENT_STATUSES,
  CONSENT_METHODS,
  CONSENT_STATUSES,
  CONTACT_TYPES,
  ON_SITE_STATUSES,
  OUT_OF_SCOPE_CATEGORIES,
  PRIORITIES,
  REFERENCE_ROLES,
  REMOTE_SESSION_STATUSES,
  TICKET_STATUSES,
  UI_LANGUAGES,
} from "../../entities/enums.js";
import { projectRoot } from "../../server/paths.js";

const catalogDir = path.join(projectRoot, "agent-ui", "src", "i18n");
const catalogs = Object.fromEntries(
  UI_LANGUAGES.map((language) => [language, JSON.parse(fs.readFileSync(path.join(catalogDir, `${language}.json`), "utf8")) as Record<string, string>]),
);
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

/** Console source files (the admin and simulator pages keep catalogs of their own). */
function consoleSources(dir = path.join(projectRoot, "agent-ui", "src")): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "admin" || entry.name === "simulator" ? [] : consoleSources(full);
    return /\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

describe("console translations (nl, fr, en)", () => {
  it("has one catalog per console language with exactly the same keys", () => {
    const [reference, ...others] = UI_LANGUAGES;
    for (const language of others) {
      const missing = Object.keys(catalogs[reference!]!).filter((key) => !(key in catalogs[language]!));
      const extra = Object.keys(catalogs[language]!).filter((key) => !(key in catalogs[reference!]!));
      expect({ language, missing, extra }).to.deep.equal({ language, missing: [], extra: [] });
    }
  });

  it("has no empty text and the same placeholders in every language", () => {
    for (const key of Object.keys(catalogs.en!)) {
      for (const language of UI_LANGUAGES) {
        expect(catalogs[language]![key]!.trim(), `${language}:${key}`).not.to.equal("");
        expect(placeholders(catalogs[language]![key]!), `${language}:${key}`).to.deep.equal(placeholders(catalogs.en![key]!));
      }
    }
  });

  it("translates every key the console code asks for", () => {
    const used = new Set<string>();
    for (const file of consoleSources()) {
      for (const match of fs.readFileSync(file, "utf8").matchAll(/\bt\("([a-zA-Z0-9_.]+)"/g)) used.add(match[1]!);
    }
    expect(used.size).to.be.greaterThan(100);
    const missing = [...used].filter((key) => !(key in catalogs.en!));
    expect(missing).to.deep.equal([]);
  });

  it("translates every value the console shows from the shared value lists", () => {
    const expected = [
      ...AGENT_STATUSES.map((v) => `status.${v}`),
      ...CONTACT_TYPES.map((v) => `type.${v}`),
      ...PRIORITIES.map((v) => `priority.${v}`),
      ...TICKET_STATUSES.map((v) => `ticketStatus.${v}`),
      ...REFERENCE_ROLES.map((v) => `role.${v}`),
      ...OUT_OF_SCOPE_CATEGORIES.map((v) => `scopeCategory.${v}`),
      ...CONSENT_METHODS.map((v) => `consent.method.${v}`),
      ...CONSENT_STATUSES.map((v) => `consent.status.${v}`),
      ...ON_SITE_STATUSES.map((v) => `onSite.status.${v}`),
      ...REMOTE_SESSION_STATUSES.map((v) => `remote.status.${v}`),
      ...AGENT_STATUSES.map((v) => `console.hint.${v}`),
      ...UI_LANGUAGES.map((v) => `language.${v}`),
      ...["none", "ok", "at_risk", "breached", "paused", "done"].map((v) => `sla.${v}`),
      ...["console", "tickets", "customers", "supervisor"].map((v) => `nav.${v}`),
    ];
    expect(expected.filter((key) => !(key in catalogs.en!))).to.deep.equal([]);
  });
});
