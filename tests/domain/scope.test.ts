import { expect } from "chai";
import { OUT_OF_SCOPE_CATEGORIES } from "../../entities/enums.js";
import { checkScopeVerdict, isHardwareLike } from "../../server/domain/scope.js";
import { HttpError } from "../../server/errors/http-error.js";

const withSupplier = { supplierName: "Antwerp ICT Services bv" };
const withoutSupplier = { supplierName: null };

function refusal(work: () => unknown): HttpError {
  try {
    work();
  } catch (error) {
    expect(error).to.be.instanceOf(HttpError);
    return error as HttpError;
  }
  throw new Error("expected the verdict to be refused");
}

describe("scope verdicts (R5)", () => {
  it("knows the eight out-of-scope categories of the policy", () => {
    expect([...OUT_OF_SCOPE_CATEGORIES].sort()).to.deep.equal(
      ["backup", "communication_system", "customer_modification", "hardware", "network", "operating_system", "training", "user_error"],
    );
  });

  it("treats hardware, backup, communication systems, operating system and network as hardware-like", () => {
    expect(OUT_OF_SCOPE_CATEGORIES.filter(isHardwareLike)).to.deep.equal(["hardware", "backup", "communication_system", "operating_system", "network"]);
  });

  it("accepts an in-scope verdict without anything else", () => {
    expect(checkScopeVerdict({ verdict: "in_scope" }, withSupplier)).to.deep.equal({
      verdict: "in_scope", category: null, diagnosis: null, advice: null, notifySupplier: false,
    });
  });

  it("refuses an in-scope verdict that names a category", () => {
    expect(refusal(() => checkScopeVerdict({ verdict: "in_scope", category: "hardware" }, withSupplier)).status).to.equal(400);
  });

  it("refuses an out-of-scope verdict without a known category", () => {
    const error = refusal(() => checkScopeVerdict({ verdict: "out_of_scope", category: "printer" }, withSupplier));
    expect(error.details?.field).to.equal("category");
  });

  it("refuses a hardware verdict without the desk's diagnosis", () => {
    const error = refusal(() => checkScopeVerdict({ verdict: "out_of_scope", category: "hardware", advice: "Replace the PSU" }, withSupplier));
    expect(error).to.include({ status: 400, id: "scope_diagnosis_required" });
    expect(error.details?.field).to.equal("diagnosis");
  });

  it("refuses a network verdict whose diagnosis is only blanks", () => {
    const error = refusal(() => checkScopeVerdict({ verdict: "out_of_scope", category: "network", diagnosis: "   ", advice: "Call the ISP" }, withSupplier));
    expect(error.id).to.equal("scope_diagnosis_required");
  });

  it("refuses a backup verdict without the advice given", () => {
    const error = refusal(() => checkScopeVerdict({ verdict: "out_of_scope", category: "backup", diagnosis: "NAS full" }, withSupplier));
    expect(error.details?.field).to.equal("advice");
  });

  it("accepts a user-error verdict without diagnosis or advice", () => {
    expect(checkScopeVerdict({ verdict: "out_of_scope", category: "user_error" }, withoutSupplier)).to.include({ category: "user_error", diagnosis: null });
  });

  it("accepts a hardware verdict with diagnosis, advice and a supplier notification", () => {
    const decision = checkScopeVerdict(
      { verdict: "out_of_scope", category: "hardware", diagnosis: " Dead disk in the server ", advice: "Replace the disk", notifySupplier: true },
      withSupplier,
    );
    expect(decision).to.deep.equal({ verdict: "out_of_scope", category: "hardware", diagnosis: "Dead disk in the server", advice: "Replace the disk", notifySupplier: true });
  });

  it("refuses to notify the supplier of a customer who has none", () => {
    const error = refusal(() =>
      checkScopeVerdict({ verdict: "out_of_scope", category: "hardware", diagnosis: "Dead disk", advice: "Replace it", notifySupplier: true }, withoutSupplier),
    );
    expect(error).to.include({ id: "no_supplier" });
  });

  it("refuses to notify the supplier about training", () => {
    const error = refusal(() => checkScopeVerdict({ verdict: "out_of_scope", category: "training", notifySupplier: true }, withSupplier));
    expect(error).to.include({ id: "supplier_not_applicable" });
  });
});
