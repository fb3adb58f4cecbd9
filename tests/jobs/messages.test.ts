import { expect } from "chai";
import { LANGUAGES } from "../../entities/enums.js";
import { formatWhen, MESSAGES, renderMessage } from "../../server/jobs/messages.js";

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();

describe("job message catalog", () => {
  const keys = Object.keys(MESSAGES.en).sort();

  for (const language of LANGUAGES) {
    it(`has every key in ${language}, none empty`, () => {
      const catalog = MESSAGES[language] as Record<string, string>;
      expect(Object.keys(catalog).sort()).to.deep.equal(keys);
      for (const key of keys) expect(catalog[key]!.trim(), `${language}.${key}`).to.not.equal("");
    });

    it(`uses the same placeholders in ${language} as in English`, () => {
      const catalog = MESSAGES[language] as Record<string, string>;
      for (const key of keys) expect(placeholders(catalog[key]!), `${language}.${key}`).to.deep.equal(placeholders((MESSAGES.en as Record<string, string>)[key]!));
    });
  }

  it("fills placeholders and writes the time in the desk's zone and the reader's language", () => {
    const at = new Date("2026-03-02T09:30:00Z"); // 10:30 in Brussels (winter time)
    const fr = formatWhen(at, "fr", "Europe/Brussels");
    expect(fr.time).to.equal("10:30");
    expect(fr.date).to.equal("lundi 2 mars 2026");
    const text = renderMessage("fr", "sessionConfirmed", { ticket: "2026-000001", date: fr.date, time: fr.time, minutes: 30 });
    expect(text).to.equal("Care Solutions : votre session à distance pour le ticket 2026-000001 est prévue le lundi 2 mars 2026 à 10:30 (30 min). À bientôt !");
    expect(formatWhen(at, "nl", "Europe/Brussels").date).to.equal("maandag 2 maart 2026");
  });
});
