import { expect } from "chai";
import { AuditEntry } from "../../../entities/AuditEntry.js";
import type { TestServer } from "../../support/app.js";
import { seedCustomer, type AdminClient, startAdminSession } from "./helpers.js";

describe("admin API: customers and campuses", () => {
  let server: TestServer;
  let admin: AdminClient;

  beforeEach(async () => {
    ({ server, admin } = await startAdminSession());
  });
  afterEach(async () => {
    await server.close();
  });

  it("creates, reads, changes and deletes a customer, auditing each change with the acting admin", async () => {
    const created = await admin.post("/customers", { code: "ZORG-A", name: "Zorggroep Antwerpen", supplierName: "IT Partner", supplierEmail: "Help@Partner.be" });
    expect(created.status).to.equal(201);
    expect(created.body).to.include({ code: "ZORG-A", name: "Zorggroep Antwerpen", supplierEmail: "help@partner.be" });
    const id = created.body.id;

    expect((await admin.get(`/customers/${id}`)).body.name).to.equal("Zorggroep Antwerpen");
    const changed = await admin.patch(`/customers/${id}`, { name: "Zorggroep Antwerpen vzw", supplierName: null });
    expect(changed.status).to.equal(200);
    expect(changed.body).to.include({ name: "Zorggroep Antwerpen vzw", supplierName: null, code: "ZORG-A" });
    expect((await admin.del(`/customers/${id}`)).status).to.equal(204);
    expect((await admin.get(`/customers/${id}`)).status).to.equal(404);

    const audit = await server.context.dataSource.getRepository(AuditEntry).find({ where: { entityType: "customer", entityId: String(id) }, order: { id: "ASC" } });
    expect(audit.map((a) => a.action)).to.deep.equal(["create", "update", "delete"]);
    expect(audit.every((a) => a.actorAgentId === admin.agent.id)).to.equal(true);
    expect(audit[1]!.changes).to.deep.equal({ name: { from: "Zorggroep Antwerpen", to: "Zorggroep Antwerpen vzw" }, supplierName: { from: "IT Partner", to: null } });
  });

  it("answers 400 naming every field at fault", async () => {
    const answer = await admin.post("/customers", { code: "", name: "x".repeat(201), supplierEmail: "not-an-address", colour: "red" });
    expect(answer.status).to.equal(400);
    expect(answer.body.error.id).to.equal("validation_failed");
    const fields = answer.body.error.fields.map((f: { field: string }) => f.field);
    expect(fields).to.include.members(["code", "name", "supplierEmail"]);
    expect(JSON.stringify(answer.body.error.fields)).to.contain("colour");
  });

  it("refuses a duplicate customer code with 409, whatever its case", async () => {
    await admin.post("/customers", { code: "ZORG-A", name: "A" });
    const second = await admin.post("/customers", { code: "zorg-a", name: "B" });
    expect(second.status).to.equal(409);
    expect(second.body.error).to.include({ id: "duplicate_code", field: "code" });
  });

  it("refuses to delete a customer that still has campuses with 409 naming the references", async () => {
    const { customerId } = await seedCustomer(admin, "ZORG-B", ["Campus Noord"]);
    const answer = await admin.del(`/customers/${customerId}`);
    expect(answer.status).to.equal(409);
    expect(answer.body.error.id).to.equal("still_referenced");
    expect(answer.body.error.references).to.deep.equal({ campuses: 1 });
  });

  it("pages and searches the customer list", async () => {
    for (let i = 1; i <= 12; i++) await admin.post("/customers", { code: `C${String(i).padStart(2, "0")}`, name: i % 2 ? `Woonzorg ${i}` : `Ziekenhuis ${i}` });
    const first = await admin.get("/customers?page=1&pageSize=5");
    expect(first.body).to.include({ page: 1, pageSize: 5, total: 12 });
    expect(first.body.items).to.have.length(5);
    const third = await admin.get("/customers?page=3&pageSize=5");
    expect(third.body.items).to.have.length(2);
    const search = await admin.get(`/customers?q=${encodeURIComponent("ZIEKENHUIS")}`);
    expect(search.body.total).to.equal(6);
    expect(search.body.items.every((c: { name: string }) => c.name.startsWith("Ziekenhuis"))).to.equal(true);
    const wildcard = await admin.get(`/customers?q=${encodeURIComponent("%")}`);
    expect(wildcard.body.total).to.equal(0);
    expect((await admin.get("/customers?page=0")).status).to.equal(400);
  });

  it("keeps campus names unique per customer but allows the same name at another customer", async () => {
    const a = await seedCustomer(admin, "A", ["Campus Zuid"]);
    const b = await seedCustomer(admin, "B");
    expect((await admin.post("/campuses", { customerId: a.customerId, name: "campus zuid" })).status).to.equal(409);
    expect((await admin.post("/campuses", { customerId: b.customerId, name: "Campus Zuid" })).status).to.equal(201);
    expect((await admin.post("/campuses", { customerId: 999999, name: "X" })).body.error).to.include({ field: "customerId" });
    const list = await admin.get(`/campuses?customerId=${a.customerId}`);
    expect(list.body.items.map((c: { name: string }) => c.name)).to.deep.equal(["Campus Zuid"]);
    expect(list.body.items[0].customer.code).to.equal("A");
  });

  it("answers 404 for an unknown id and 400 for an id that is not a number", async () => {
    expect((await admin.get("/customers/424242")).status).to.equal(404);
    expect((await admin.patch("/campuses/424242", { name: "X" })).status).to.equal(404);
    expect((await admin.get("/customers/abc")).status).to.equal(400);
  });
});
