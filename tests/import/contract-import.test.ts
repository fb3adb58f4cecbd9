import { expect } from "chai";
import { Contract } from "../../entities/Contract.js";
import { testDatabaseKind } from "../support/database.js";
import type { TestServer } from "../support/app.js";
import { seedCustomer, slaPolicyBody, type AdminClient, startAdminSession } from "../routes/admin/helpers.js";
import { waitForImport } from "./support.js";

const HEADER = "reference;customer;validFrom;validTo;paid;slaPolicy;products";

describe("CSV import of contracts", () => {
  let server: TestServer;
  let admin: AdminClient;

  beforeEach(async () => {
    ({ server, admin } = await startAdminSession());
    await seedCustomer(admin, "ZORG-A");
    await admin.post("/sla-policies", slaPolicyBody("Standard"));
    await admin.post("/products", { code: "DOSSIER", name: "Zorgdossier" });
    await admin.post("/products", { code: "PLANNING", name: "Planning" });
  });
  afterEach(async () => {
    await server.close();
  });

  it("lists every row's problems in a dry run", async () => {
    await admin.send("POST", "/imports/contracts", [HEADER, "C-1;ZORG-A;01/01/2026;31/12/2026;ja;Standard;DOSSIER"].join("\n")).then((a) => waitForImport(admin, a.body.id));
    const csv = [
      HEADER,
      "C-1;ZORG-A;01/01/2026;31/12/2026;ja;Standard;DOSSIER", // exists already
      "C-2;ZORG-Z;2026-01-01;2026-12-31;nee;Standard;DOSSIER", // customer
      "C-3;ZORG-A;31/02/2026;01/01/2026;misschien;Gold;", // dates, paid, policy, products
      "C-4;ZORG-A;01/01/2026;31/12/2026;oui;standard;DOSSIER | GAMES", // product
      "c-4;ZORG-A;01/01/2026;31/12/2026;non;Standard;PLANNING", // duplicate of row 5 (case-insensitive)
      "C-6;ZORG-A;01/06/2026;01/01/2026;ja;Standard;PLANNING", // reversed
    ].join("\n");
    const answer = await admin.send("POST", "/imports/contracts?dryRun=true", csv);
    expect(answer.body.ok).to.equal(false);
    expect(answer.body.problems.map((p: { row: number; field: string; code: string }) => `${p.row}:${p.field}:${p.code}`)).to.deep.equal([
      "2:reference:duplicate_contract",
      "3:customer:unknown_customer",
      "4:validFrom:invalid_date",
      "4:paid:invalid_yes_no",
      "4:slaPolicy:unknown_sla_policy",
      "4:products:required",
      "5:products:unknown_product",
      "6:reference:duplicate_contract",
      "7:validTo:dates_reversed",
    ]);
  });

  it("imports contracts with covered products, Belgian dates and Dutch/French yes-no", async () => {
    const csv = [HEADER, "C-10;ZORG-A;01/01/2026;31/12/2026;ja;Standard;DOSSIER | PLANNING", "C-11;zorg-a;2025-01-01;2025-12-31;non;standard;planning"].join("\r\n");
    const started = await admin.send("POST", "/imports/contracts", csv);
    const { job } = await waitForImport(admin, started.body.id);
    expect(job.status).to.equal("completed");
    expect(job.result).to.deep.equal({ created: 2, coveredProducts: 3 });
    const list = await admin.get("/contracts?q=C-1");
    const byRef = Object.fromEntries(list.body.items.map((c: { reference: string }) => [c.reference, c]));
    expect(byRef["C-10"]).to.include({ validFrom: "2026-01-01", validTo: "2026-12-31", paid: true });
    expect(byRef["C-10"].products.map((p: { code: string }) => p.code)).to.deep.equal(["DOSSIER", "PLANNING"]);
    expect(byRef["C-11"]).to.include({ paid: false, validFrom: "2025-01-01" });
  });

  it("imports 10,000 contracts in seconds", async function () {
    this.timeout(120_000);
    const rows = [HEADER];
    for (let i = 0; i < 10_000; i++) rows.push(`K-${i};ZORG-A;01/01/2026;31/12/2026;${i % 2 ? "ja" : "nee"};Standard;DOSSIER${i % 3 ? " | PLANNING" : ""}`);
    const t0 = Date.now();
    const started = await admin.send("POST", "/imports/contracts", rows.join("\n"));
    const { job } = await waitForImport(admin, started.body.id);
    const totalMs = Date.now() - t0;
    expect(job.status, job.error ?? "").to.equal("completed");
    expect(job.result.created).to.equal(10_000);
    expect(await server.context.dataSource.getRepository(Contract).count()).to.equal(10_000);
    expect(totalMs).to.be.lessThan(30_000);
    console.log(`      [timing ${testDatabaseKind}] 10,000 contracts: import job ${job.durationMs} ms (check ${job.timings.validateMs} ms, write ${job.timings.writeMs} ms); ${totalMs} ms until the poll saw it done`);
  });
});
