import { expect } from "chai";
import { AuditEntry } from "../../../entities/AuditEntry.js";
import { ReferencePerson } from "../../../entities/ReferencePerson.js";
import { findPersonByPin, findPersonsByPhone } from "../../../server/domain/identification.js";
import { hashPin } from "../../../server/domain/pin.js";
import type { TestServer } from "../../support/app.js";
import { seedCustomer, type AdminClient, startAdminSession } from "./helpers.js";

describe("admin API: reference persons", () => {
  let server: TestServer;
  let admin: AdminClient;
  let a: { customerId: number; campusIds: number[] };
  let b: { customerId: number; campusIds: number[] };

  beforeEach(async () => {
    ({ server, admin } = await startAdminSession());
    a = await seedCustomer(admin, "ZORG-A", ["Campus Noord"]);
    b = await seedCustomer(admin, "ZORG-B", ["Hoofdzetel"]);
  });
  afterEach(async () => {
    await server.close();
  });

  const person = (overrides: Record<string, unknown> = {}) => ({ customerId: a.customerId, role: "general", firstName: "An", lastName: "Peeters", language: "nl", ...overrides });

  it("normalises Belgian number notations to E.164 so the IVR recognises the caller", async () => {
    const created = await admin.post("/persons", person({ phoneNumbers: [{ number: "0470 12 34 56", label: "gsm" }, { number: "03/123.45.67" }, { number: "+32 (0)9 234 56 78" }] }));
    expect(created.status).to.equal(201);
    expect(created.body.phoneNumbers).to.deep.equal([
      { e164: "+32470123456", label: "gsm" },
      { e164: "+3231234567", label: null },
      { e164: "+3292345678", label: null },
    ]);
    const found = await findPersonsByPhone(server.context.dataSource.manager, "+3231234567");
    expect(found.map((p) => p.id)).to.deep.equal([created.body.id]);
  });

  it("names each invalid number and a number listed twice", async () => {
    const invalid = await admin.post("/persons", person({ phoneNumbers: [{ number: "0470 12 34" }, { number: "03 123 45 67" }, { number: "'; DROP TABLE customers; --" }] }));
    expect(invalid.status).to.equal(400);
    expect(invalid.body.error.fields.map((f: { field: string }) => f.field)).to.deep.equal(["phoneNumbers.0.number", "phoneNumbers.2.number"]);
    const twice = await admin.post("/persons", person({ phoneNumbers: [{ number: "03 123 45 67" }, { number: "03/123.45.67" }] }));
    expect(twice.status).to.equal(400);
    expect(twice.body.error.fields).to.deep.equal([{ field: "phoneNumbers.1.number", message: "is listed twice" }]);
  });

  it("allows one number for persons of different customers (R2 asks which one) and within a customer", async () => {
    const number = [{ number: "03 123 45 67" }];
    expect((await admin.post("/persons", person({ phoneNumbers: number }))).status).to.equal(201);
    expect((await admin.post("/persons", person({ customerId: b.customerId, phoneNumbers: number }))).status).to.equal(201);
    expect((await admin.post("/persons", person({ firstName: "Bert", role: "technical", phoneNumbers: number }))).status).to.equal(201);
    expect(await findPersonsByPhone(server.context.dataSource.manager, "+3231234567")).to.have.length(3);
  });

  it("refuses a second person with the same name at the same customer with 409, but not at another customer", async () => {
    await admin.post("/persons", person());
    const duplicate = await admin.post("/persons", person({ firstName: "an", lastName: " PEETERS ", role: "technical" }));
    expect(duplicate.status).to.equal(409);
    expect(duplicate.body.error.id).to.equal("duplicate_person");
    expect((await admin.post("/persons", person({ customerId: b.customerId }))).status).to.equal(201);
  });

  it("enforces the role rules: a campus person needs a campus of the same customer", async () => {
    const noCampus = await admin.post("/persons", person({ role: "campus" }));
    expect(noCampus.status).to.equal(400);
    expect(noCampus.body.error.field).to.equal("campusId");
    const otherCustomersCampus = await admin.post("/persons", person({ role: "campus", campusId: b.campusIds[0] }));
    expect(otherCustomersCampus.status).to.equal(400);
    expect(otherCustomersCampus.body.error.field).to.equal("campusId");
    const ok = await admin.post("/persons", person({ role: "campus", campusId: a.campusIds[0] }));
    expect(ok.status).to.equal(201);
    expect(ok.body.campus).to.deep.equal({ id: a.campusIds[0], name: "Campus Noord" });
    const unset = await admin.patch(`/persons/${ok.body.id}`, { campusId: null });
    expect(unset.status).to.equal(400);
  });

  it("resets a PIN (hashed with PIN_SECRET), refuses one another person has with 409, and never returns it", async () => {
    const an = (await admin.post("/persons", person())).body;
    const bert = (await admin.post("/persons", person({ firstName: "Bert" }))).body;
    expect((await admin.put(`/persons/${an.id}/pin`, { pin: "4821" })).status).to.equal(200);
    const stored = await server.context.dataSource.getRepository(ReferencePerson).findOneByOrFail({ id: an.id });
    expect(stored.pinHash).to.equal(hashPin("4821", server.context.env.PIN_SECRET));
    expect((await findPersonByPin(server.context.dataSource.manager, "4821", server.context.env.PIN_SECRET))?.id).to.equal(an.id);

    const taken = await admin.put(`/persons/${bert.id}/pin`, { pin: "4821" });
    expect(taken.status).to.equal(409);
    expect(taken.body.error.id).to.equal("pin_taken");
    expect((await admin.put(`/persons/${bert.id}/pin`, { pin: "12" })).status).to.equal(400);
    expect((await admin.put(`/persons/${bert.id}/pin`, { pin: "123456789" })).status).to.equal(400);
    expect((await admin.put(`/persons/${an.id}/pin`, { pin: "4821" })).status).to.equal(200);

    const generated = await admin.put(`/persons/${bert.id}/pin`, {});
    expect(generated.body.pin).to.match(/^\d{6}$/);
    const shown = await admin.get(`/persons/${bert.id}`);
    expect(shown.body.hasPin).to.equal(true);
    expect(JSON.stringify(shown.body)).not.to.contain("pinHash");
    expect((await admin.del(`/persons/${bert.id}/pin`)).status).to.equal(204);
    expect((await admin.get(`/persons/${bert.id}`)).body.hasPin).to.equal(false);

    const actions = (await server.context.dataSource.getRepository(AuditEntry).find({ where: { entityType: "reference_person", entityId: String(bert.id) } })).map((e) => e.action);
    expect(actions).to.include.members(["create", "pin_reset", "pin_remove"]);
    expect(JSON.stringify(await server.context.dataSource.getRepository(AuditEntry).find())).not.to.contain("4821");
  });

  it("changes the language and replaces the numbers, auditing the difference", async () => {
    const an = (await admin.post("/persons", person({ phoneNumbers: [{ number: "0470 12 34 56" }] }))).body;
    const changed = await admin.patch(`/persons/${an.id}`, { language: "fr", phoneNumbers: [{ number: "0470 65 43 21" }] });
    expect(changed.status).to.equal(200);
    expect(changed.body.language).to.equal("fr");
    expect(changed.body.phoneNumbers.map((n: { e164: string }) => n.e164)).to.deep.equal(["+32470654321"]);
    const update = await server.context.dataSource.getRepository(AuditEntry).findOneByOrFail({ entityType: "reference_person", entityId: String(an.id), action: "update" });
    expect(update.changes).to.deep.equal({ language: { from: "nl", to: "fr" }, phoneNumbers: { from: ["+32470123456"], to: ["+32470654321"] } });
    expect(update.actorAgentId).to.equal(admin.agent.id);
  });

  it("searches by name, customer and by a phone number in any notation, with filters and pages", async () => {
    await admin.post("/persons", person({ phoneNumbers: [{ number: "0470 12 34 56" }] }));
    await admin.post("/persons", person({ firstName: "Bert", lastName: "Claes", role: "technical" }));
    await admin.post("/persons", person({ customerId: b.customerId, firstName: "Chris", lastName: "Dams", role: "campus", campusId: b.campusIds[0] }));
    expect((await admin.get("/persons?q=claes")).body.items.map((p: { lastName: string }) => p.lastName)).to.deep.equal(["Claes"]);
    expect((await admin.get(`/persons?q=${encodeURIComponent("+32 (0)470 12.34.56")}`)).body.items.map((p: { lastName: string }) => p.lastName)).to.deep.equal(["Peeters"]);
    expect((await admin.get("/persons?q=zorg-b")).body.total).to.equal(1);
    expect((await admin.get(`/persons?customerId=${a.customerId}&role=technical`)).body.items.map((p: { firstName: string }) => p.firstName)).to.deep.equal(["Bert"]);
    const page = await admin.get("/persons?pageSize=2&page=2");
    expect(page.body).to.include({ total: 3, page: 2, pageSize: 2 });
    expect(page.body.items).to.have.length(1);
  });

  it("deletes an unreferenced person and answers 404 afterwards", async () => {
    const an = (await admin.post("/persons", person({ phoneNumbers: [{ number: "0470 12 34 56" }] }))).body;
    expect((await admin.del(`/persons/${an.id}`)).status).to.equal(204);
    expect((await admin.get(`/persons/${an.id}`)).status).to.equal(404);
    expect((await admin.del(`/persons/${an.id}`)).status).to.equal(404);
  });
});
