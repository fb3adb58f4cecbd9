import { expect } from "chai";
import type { TestServer } from "../../support/app.js";
import { loginAs, seedCustomer, type AdminClient, startAdminSession } from "./helpers.js";

describe("R3 report: reference-person roles per customer", () => {
  let server: TestServer;
  let admin: AdminClient;

  beforeEach(async () => {
    ({ server, admin } = await startAdminSession());
  });
  afterEach(async () => {
    await server.close();
  });

  it("flags campuses without a reference person and missing general or technical roles", async () => {
    const a = await seedCustomer(admin, "ZORG-A", ["Campus Noord", "Campus Zuid"]);
    const b = await seedCustomer(admin, "ZORG-B", ["Hoofdzetel"]);
    await admin.post("/persons", { customerId: a.customerId, campusId: a.campusIds[0], role: "campus", firstName: "An", lastName: "A" });
    await admin.post("/persons", { customerId: a.customerId, role: "general", firstName: "Bert", lastName: "B" });
    for (const [role, first] of [["campus", "C"], ["general", "D"], ["technical", "E"]] as const) {
      await admin.post("/persons", { customerId: b.customerId, campusId: b.campusIds[0], role, firstName: first, lastName: first });
    }
    const report = (await admin.get("/reports/reference-completeness")).body;
    expect(report).to.include({ total: 2, incompleteCustomers: 1 });
    const lineA = report.items.find((l: { customer: { code: string } }) => l.customer.code === "ZORG-A");
    expect(lineA).to.deep.include({ complete: false, hasGeneral: true, hasTechnical: false, campusesWithoutReference: [{ id: a.campusIds[1], name: "Campus Zuid" }] });
    expect(lineA.missing).to.deep.equal([`campus:${a.campusIds[1]}`, "technical"]);
    const only = (await admin.get("/reports/reference-completeness?incompleteOnly=true")).body;
    expect(only.items.map((l: { customer: { code: string } }) => l.customer.code)).to.deep.equal(["ZORG-A"]);
    const one = (await admin.get(`/reports/reference-completeness/${b.customerId}`)).body;
    expect(one).to.include({ complete: true });

    const supervisor = await loginAs(server, "supervisor");
    expect((await supervisor.get("/reports/reference-completeness")).status).to.equal(200);
  });

  it("stops counting a person once deactivated", async () => {
    const a = await seedCustomer(admin, "ZORG-A");
    const general = (await admin.post("/persons", { customerId: a.customerId, role: "general", firstName: "An", lastName: "A" })).body;
    await admin.post("/persons", { customerId: a.customerId, role: "technical", firstName: "Bert", lastName: "B" });
    expect((await admin.get(`/reports/reference-completeness/${a.customerId}`)).body.complete).to.equal(true);
    await admin.patch(`/persons/${general.id}`, { active: false });
    expect((await admin.get(`/reports/reference-completeness/${a.customerId}`)).body.missing).to.deep.equal(["general"]);
  });
});
