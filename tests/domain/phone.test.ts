import { expect } from "chai";
import { InvalidPhoneNumberError, normalizePhoneNumber, tryNormalizePhoneNumber } from "../../server/domain/phone.js";

describe("phone number normalisation", () => {
  const belgianForms: [string, string][] = [
    ["0470 12 34 56", "+32470123456"],
    ["0470/12.34.56", "+32470123456"],
    ["03/123.45.67", "+3231234567"],
    ["+32 (0)3 123 45 67", "+3231234567"],
    ["0032 3 123 45 67", "+3231234567"],
    ["+32 9 234 56 78", "+3292345678"],
    ["+32470123456", "+32470123456"],
  ];
  for (const [input, expected] of belgianForms) {
    it(`reads the Belgian form "${input}" as ${expected}`, () => {
      expect(normalizePhoneNumber(input)).to.equal(expected);
    });
  }

  it("keeps foreign numbers in international form", () => {
    expect(normalizePhoneNumber("+49 151 12345678")).to.equal("+4915112345678");
  });

  for (const garbage of ["", "anonymous", "12", "0470", "not a number", "+32 12", "0470 12 34 56 ext; DROP TABLE"]) {
    it(`refuses "${garbage}" with a clear error`, () => {
      expect(() => normalizePhoneNumber(garbage)).to.throw(InvalidPhoneNumberError, /is not a valid phone number/);
      expect(tryNormalizePhoneNumber(garbage)).to.equal(null);
    });
  }
});
