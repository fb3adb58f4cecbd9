import { expect } from "chai";
import { Ticket } from "../../../entities/Ticket.js";
import { loadEntitlement } from "../../../server/domain/entitlement.js";
import type { TestServer } from "../../support/app.js";
import { seedCustomer, slaPolicyBody, type AdminClient, startAdminSession } from "./helpers.js";

describe("admin API: products, SLA policies and contracts", () => {
  let server: TestServer;
  let admin: AdminClient;

  beforeEach(async () => {
    ({ server, admin } = await startAdminSession());
  });
  afterEach(async () => {
    await server.close();
  });

  it("creates a contract that entitles the customer for its covered products (R4)", async () => {
    const { customerId } = await seedCustomer(admin, "ZORG-A");
    const policy = (await admin.post("/sla-policies", slaPolicyBody())).body;
    const dossier = (await admin.post("/products", { code: "DOSSIER", name: "Zorgdossier", spokenNames: { nl: "Zorgdossier", fr: "Dossier de soins" } })).body;
    const planning = (await admin.post("/products", { code: "PLANNING", name: "Planning" })).body;
    const created = await admin.post("/contracts", { reference: "C-2026-1", customerId, validFrom: "2026-01-01", validTo: "2026-12-31", paid: true, slaPolicyId: policy.id, productIds: [dossier.id] });
    expect(created.status).to.equal(201);
    expect(created.body).to.deep.include({ reference: "C-2026-1", paid: true, validFrom: "2026-01-01", validTo: "2026-12-31", slaPolicy: { id: policy.id, name: "Standard" } });
    expect(created.body.products.map((p: { code: string }) => p.code)).to.deep.equal(["DOSSIER"]);

    const manager = server.context.dataSource.manager;
    expect((await loadEntitlement(manager, customerId, dossier.id, "2026-06-01")).entitled).to.equal(true);
    expect((await loadEntitlement(manager, customerId, planning.id, "2026-06-01")).reason).to.equal("product_not_covered");

    const changed = await admin.patch(`/contracts/${created.body.id}`, { paid: false, productIds: [dossier.id, planning.id] });
    expect(changed.body.paid).to.equal(false);
    expect(changed.body.products).to.have.length(2);
    expect((await loadEntitlement(manager, customerId, planning.id, "2026-06-01")).reason).to.equal("unpaid");
  });

  it("validates contract dates, references and related records", async () => {
    const { customerId } = await seedCustomer(admin, "ZORG-A");
    const policy = (await admin.post("/sla-policies", slaPolicyBody())).body;
    const base = { reference: "C-1", customerId, validFrom: "2026-01-01", validTo: "2026-12-31", slaPolicyId: policy.id, productIds: [] };
    const reversed = await admin.post("/contracts", { ...base, validFrom: "2027-01-01" });
    expect(reversed.status).to.equal(400);
    expect(reversed.body.error.field).to.equal("validTo");
    const badDate = await admin.post("/contracts", { ...base, validFrom: "31/12/2026" });
    expect(badDate.body.error.field).to.equal("validFrom");
    expect((await admin.post("/contracts", { ...base, slaPolicyId: 9999 })).body.error.field).to.equal("slaPolicyId");
    expect((await admin.post("/contracts", { ...base, productIds: [9999] })).body.error.field).to.equal("productIds");
    expect((await admin.post("/contracts", base)).status).to.equal(201);
    expect((await admin.post("/contracts", { ...base, reference: "c-1" })).status).to.equal(409);
    const list = await admin.get(`/contracts?customerId=${customerId}&paid=false`);
    expect(list.body.total).to.equal(1);
  });

  it("requires targets for every priority and refuses a resolution shorter than the first response", async () => {
    const body = slaPolicyBody("Gold");
    const missing = await admin.post("/sla-policies", { ...body, targets: { ...body.targets, low: undefined } });
    expect(missing.status).to.equal(400);
    expect(missing.body.error.field).to.equal("targets.low");
    const shorter = await admin.post("/sla-policies", { ...body, targets: { ...body.targets, high: { firstResponseMinutes: 60, resolutionMinutes: 30 } } });
    expect(shorter.body.error.field).to.equal("targets.high.resolutionMinutes");
    const created = await admin.post("/sla-policies", { ...body, twentyFourSeven: true });
    expect(created.status).to.equal(201);
    expect(created.body).to.deep.include({ name: "Gold", twentyFourSeven: true });
    expect(created.body.targets.critical).to.deep.equal({ firstResponseMinutes: 30, resolutionMinutes: 240 });
    expect((await admin.post("/sla-policies", body)).status).to.equal(409);
  });

  it("refuses to delete a product or SLA policy still in use with 409", async () => {
    const { customerId } = await seedCustomer(admin, "ZORG-A");
    const policy = (await admin.post("/sla-policies", slaPolicyBody())).body;
    const product = (await admin.post("/products", { code: "DOSSIER", name: "Zorgdossier" })).body;
    const contract = (await admin.post("/contracts", { reference: "C-1", customerId, validFrom: "2026-01-01", validTo: "2026-12-31", slaPolicyId: policy.id, productIds: [product.id] })).body;
    const productDelete = await admin.del(`/products/${product.id}`);
    expect(productDelete.status).to.equal(409);
    expect(productDelete.body.error.references).to.deep.equal({ contracts: 1 });
    expect((await admin.del(`/sla-policies/${policy.id}`)).status).to.equal(409);
    expect((await admin.del(`/contracts/${contract.id}`)).status).to.equal(204);
    await server.context.dataSource.getRepository(Ticket).insert({ number: "2026-000001", contactType: "question", productId: product.id, slaPolicyId: policy.id });
    expect((await admin.del(`/products/${product.id}`)).body.error.references).to.deep.equal({ tickets: 1 });
    expect((await admin.del(`/sla-policies/${policy.id}`)).body.error.references).to.deep.equal({ tickets: 1 });
  });
});
