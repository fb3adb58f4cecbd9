import { expect } from "chai";
import { checkEntitlement, coveredProducts } from "../../server/domain/entitlement.js";

const contract = (overrides: Partial<{ id: number; paid: boolean; validFrom: string; validTo: string; products: { id: number }[] }> = {}) => ({
  id: 1,
  paid: true,
  validFrom: "2026-01-01",
  validTo: "2026-12-31",
  products: [{ id: 10 }, { id: 11 }],
  ...overrides,
});

describe("entitlement (R4)", () => {
  it("entitles a paid contract valid today that covers the product", () => {
    expect(checkEntitlement([contract()], 10, "2026-11-25")).to.include({ entitled: true, reason: "entitled" });
  });

  it("still entitles on the contract's last day", () => {
    expect(checkEntitlement([contract()], 10, "2026-12-31").entitled).to.equal(true);
  });

  it("does not entitle the day after the last day", () => {
    expect(checkEntitlement([contract()], 10, "2027-01-01")).to.include({ entitled: false, reason: "expired" });
  });

  it("does not entitle before the first day", () => {
    expect(checkEntitlement([contract()], 10, "2025-12-31")).to.include({ entitled: false, reason: "not_yet_valid" });
  });

  it("does not entitle an unpaid contract", () => {
    expect(checkEntitlement([contract({ paid: false })], 10, "2026-06-01")).to.include({ entitled: false, reason: "unpaid" });
  });

  it("does not entitle a product the contract does not cover", () => {
    expect(checkEntitlement([contract()], 99, "2026-06-01")).to.include({ entitled: false, reason: "product_not_covered" });
  });

  it("says no_contract for a customer without contracts", () => {
    expect(checkEntitlement([], 10, "2026-06-01")).to.include({ entitled: false, reason: "no_contract" });
  });

  it("finds the entitling contract among an expired and an unpaid one", () => {
    const verdict = checkEntitlement([contract({ id: 1, validTo: "2025-12-31" }), contract({ id: 2, paid: false }), contract({ id: 3, products: [{ id: 12 }] })], 12, "2026-06-01");
    expect(verdict.entitled).to.equal(true);
    expect(verdict.contract!.id).to.equal(3);
  });

  it("entitles any paid valid contract while the product is not chosen yet", () => {
    expect(checkEntitlement([contract()], null, "2026-06-01").entitled).to.equal(true);
  });

  it("lists only products of paid contracts valid today", () => {
    const products = coveredProducts([contract({ products: [{ id: 1 }] }), contract({ paid: false, products: [{ id: 2 }] }), contract({ validTo: "2026-01-31", products: [{ id: 3 }] })], "2026-06-01");
    expect(products.map((p) => p.id)).to.deep.equal([1]);
  });
});
