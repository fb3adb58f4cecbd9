import { expect } from "chai";
import { Customer } from "../../../entities/Customer.js";
import type { TestServer } from "../../support/app.js";
import { waitForImport } from "../../import/support.js";
import { slaPolicyBody, type AdminClient, startAdminSession } from "./helpers.js";
import { deskFetch } from "../../support/desk-fetch.js";

const SQL = "'; DROP TABLE customers; --";
const HTML = "<script>alert(1)</script>";

describe("admin API with hostile text", () => {
  let server: TestServer;
  let admin: AdminClient;

  beforeEach(async () => {
    ({ server, admin } = await startAdminSession());
  });
  afterEach(async () => {
    await server.close();
  });

  for (const hostile of [SQL, HTML]) {
    it(`stores and returns ${JSON.stringify(hostile)} verbatim in every text field`, async () => {
      const customer = await admin.post("/customers", { code: hostile, name: hostile, supplierName: hostile });
      expect(customer.status).to.equal(201);
      expect(customer.body).to.include({ code: hostile, name: hostile, supplierName: hostile });
      const campus = await admin.post("/campuses", { customerId: customer.body.id, name: hostile, city: hostile });
      expect(campus.body).to.include({ name: hostile, city: hostile });
      const person = await admin.post("/persons", {
        customerId: customer.body.id, campusId: campus.body.id, role: "campus", firstName: hostile, lastName: hostile, phoneNumbers: [{ number: "0470 12 34 56", label: hostile }],
      });
      expect(person.status).to.equal(201);
      expect(person.body).to.include({ firstName: hostile, lastName: hostile });
      expect(person.body.phoneNumbers[0].label).to.equal(hostile);
      const product = await admin.post("/products", { code: hostile, name: hostile, spokenNames: { nl: hostile } });
      expect(product.body).to.deep.include({ code: hostile, name: hostile, spokenNames: { nl: hostile } });
      const policy = await admin.post("/sla-policies", slaPolicyBody(hostile));
      expect(policy.body.name).to.equal(hostile);
      const contract = await admin.post("/contracts", { reference: hostile, customerId: customer.body.id, validFrom: "2026-01-01", validTo: "2026-12-31", slaPolicyId: policy.body.id, productIds: [product.body.id] });
      expect(contract.body.reference).to.equal(hostile);
      const agent = await admin.post("/agents", { email: "x@care.be", name: hostile, role: "agent", languages: ["nl"], password: "long enough password" });
      expect(agent.body.name).to.equal(hostile);

      for (const path of ["/customers", "/campuses", "/persons", "/products", "/sla-policies", "/contracts", "/agents"]) {
        const search = await admin.get(`${path}?q=${encodeURIComponent(hostile)}`);
        expect(search.status, path).to.equal(200);
        expect(search.body.total, path).to.equal(1);
      }
      expect((await admin.get(`/persons/${person.body.id}`)).body.campus.name).to.equal(hostile);
      expect(await server.context.dataSource.getRepository(Customer).count()).to.equal(1);
    });
  }

  it("imports hostile names from CSV verbatim", async () => {
    await admin.post("/customers", { code: "ZORG-A", name: "A" });
    const csv = `customer;role;firstName;lastName\nZORG-A;general;"${SQL}";"${HTML.replace(/"/g, '""')}"\n`;
    const started = await admin.send("POST", "/imports/persons", csv);
    const { job } = await waitForImport(admin, started.body.id);
    expect(job.status).to.equal("completed");
    const person = (await admin.get("/persons")).body.items[0];
    expect(person).to.include({ firstName: SQL, lastName: HTML });
    expect(await server.context.dataSource.getRepository(Customer).count()).to.equal(1);
  });

  it("refuses control characters and JSON that is not an object", async () => {
    expect((await admin.post("/customers", { code: "A\u0000B", name: "x" })).body.error.field).to.equal("code");
    const response = await deskFetch(`${server.url}/api/admin/customers`, { method: "POST", headers: { "content-type": "application/json", cookie: admin.cookie }, body: "{not json" });
    expect(response.status).to.equal(400);
    expect((await admin.post("/customers", ["code"])).status).to.equal(400);
  });
});
