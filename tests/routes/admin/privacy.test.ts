import { expect } from "chai";
import { AuditEntry } from "../../../entities/AuditEntry.js";
import { Call } from "../../../entities/Call.js";
import { CostConsent } from "../../../entities/CostConsent.js";
import { PhoneNumber } from "../../../entities/PhoneNumber.js";
import { ReferencePerson } from "../../../entities/ReferencePerson.js";
import { SmsMessage } from "../../../entities/SmsMessage.js";
import { Ticket } from "../../../entities/Ticket.js";
import { TicketEvent } from "../../../entities/TicketEvent.js";
import { findPersonByPin, findPersonsByPhone } from "../../../server/domain/identification.js";
import type { TestServer } from "../../support/app.js";
import { seedCustomer, type AdminClient, startAdminSession } from "./helpers.js";

describe("privacy: export and erasure of a reference person", () => {
  let server: TestServer;
  let admin: AdminClient;
  let personId: number;
  let ticketId: number;

  beforeEach(async () => {
    ({ server, admin } = await startAdminSession());
    const { customerId, campusIds } = await seedCustomer(admin, "ZORG-A", ["Campus Noord"]);
    const person = await admin.post("/persons", {
      customerId, campusId: campusIds[0], role: "campus", firstName: "Elise", lastName: "Vermeulen", email: "elise@zorg-a.be", language: "fr",
      phoneNumbers: [{ number: "0470 12 34 56" }], pin: "5555",
    });
    personId = person.body.id;
    const manager = server.context.dataSource.manager;
    const ticket = await manager.getRepository(Ticket).save({
      number: "2026-000042", contactType: "incident", customerId, campusId: campusIds[0], reporterId: personId, language: "fr",
      subject: "Elise Vermeulen cannot log in", description: "Call back Elise on 0470/12.34.56 or elise@zorg-a.be. Printer of campus Noord.",
    });
    ticketId = ticket.id;
    await manager.getRepository(TicketEvent).save({ ticketId, type: "note", actorType: "agent", actorId: admin.agent.id, data: { text: "Spoke to Vermeulen" } });
    await manager.getRepository(Call).save({ callSid: "CA-privacy-1", fromNumber: "+32470123456", fromE164: "+32470123456", toNumber: "+3232000000", personId, customerId, ticketId, outcome: "completed" });
    await manager.getRepository(CostConsent).save({ ticketId, status: "given", estimateText: "Restore for Elise: 2 hours", decidedByPersonId: personId, method: "phone", decidedAt: new Date() });
    await manager.getRepository(SmsMessage).save({ idempotencyKey: "sms-privacy-1", toNumber: "+32470123456", fromNumber: "+3232000001", body: "Dear Elise, your session is at 10:00" });
  });
  afterEach(async () => {
    await server.close();
  });

  it("exports the person, numbers, tickets, consents, calls and messages as JSON, and audits the export", async () => {
    const answer = await admin.get(`/persons/${personId}/export`);
    expect(answer.status).to.equal(200);
    expect(answer.headers.get("content-disposition")).to.contain(`reference-person-${personId}.json`);
    const data = answer.body;
    expect(data.person).to.include({ firstName: "Elise", lastName: "Vermeulen", email: "elise@zorg-a.be", language: "fr", hasPin: true });
    expect(data.phoneNumbers).to.deep.equal([{ e164: "+32470123456", label: null }]);
    expect(data.tickets.map((t: { number: string }) => t.number)).to.deep.equal(["2026-000042"]);
    expect(data.costConsents[0]).to.include({ ticketNumber: "2026-000042", method: "phone" });
    expect(data.calls[0]).to.include({ callSid: "CA-privacy-1", fromNumber: "+32470123456" });
    expect(data.smsMessages[0].body).to.contain("Dear Elise");
    expect(data.auditTrail.map((a: { action: string }) => a.action)).to.include("create");
    expect(JSON.stringify(data)).not.to.match(/pinHash|5555/);
    const exportAudit = await server.context.dataSource.getRepository(AuditEntry).findOneBy({ action: "export", entityId: String(personId) });
    expect(exportAudit?.actorAgentId).to.equal(admin.agent.id);
  });

  it("erases the person: tickets stay anonymised, numbers and PIN go, the erasure is audited", async () => {
    const answer = await admin.post(`/persons/${personId}/erase`);
    expect(answer.status).to.equal(200);
    expect(answer.body.person).to.include({ firstName: "[erased]", lastName: "[erased]", email: null, active: false, hasPin: false });
    expect(answer.body.person.erasedAt).to.be.a("string");
    expect(answer.body.person.phoneNumbers).to.deep.equal([]);
    expect(answer.body.summary).to.include({ tickets: 1, calls: 1, smsMessages: 1, phoneNumbers: 1, costConsents: 1 });

    const manager = server.context.dataSource.manager;
    const ticket = await manager.getRepository(Ticket).findOneByOrFail({ id: ticketId });
    expect(ticket.reporterId).to.equal(personId);
    expect(ticket.subject).to.equal("[erased] cannot log in");
    expect(ticket.description).to.equal("Call back [erased] on [erased] or [erased]. Printer of campus Noord.");
    expect((await manager.getRepository(TicketEvent).findOneByOrFail({ ticketId, type: "note" })).data).to.deep.equal({ text: "Spoke to [erased]" });
    const call = await manager.getRepository(Call).findOneByOrFail({ callSid: "CA-privacy-1" });
    expect(call).to.include({ fromNumber: "anonymous", fromE164: null, personId });
    expect((await manager.getRepository(CostConsent).findOneByOrFail({ ticketId })).estimateText).to.equal("Restore for [erased]: 2 hours");
    expect(await manager.getRepository(SmsMessage).findOneByOrFail({ idempotencyKey: "sms-privacy-1" })).to.include({ toNumber: "anonymous", body: "[erased]" });
    expect(await manager.getRepository(PhoneNumber).countBy({ personId })).to.equal(0);
    expect((await manager.getRepository(ReferencePerson).findOneByOrFail({ id: personId })).pinHash).to.equal(null);
    expect(await findPersonsByPhone(manager, "+32470123456")).to.deep.equal([]);
    expect(await findPersonByPin(manager, "5555", server.context.env.PIN_SECRET)).to.equal(null);

    const audit = await manager.getRepository(AuditEntry).find({ where: { entityType: "reference_person", entityId: String(personId) }, order: { id: "ASC" } });
    expect(audit.map((a) => a.action)).to.deep.equal(["create", "erase"]);
    expect(audit[1]!.actorAgentId).to.equal(admin.agent.id);
    expect(JSON.stringify(audit)).not.to.match(/Elise|Vermeulen|elise@|\+32470123456/);

    expect((await admin.post(`/persons/${personId}/erase`)).status).to.equal(409);
    expect((await admin.patch(`/persons/${personId}`, { firstName: "Back" })).status).to.equal(409);
  });

  it("refuses to delete a person with tickets and points to erasure instead", async () => {
    const answer = await admin.del(`/persons/${personId}`);
    expect(answer.status).to.equal(409);
    expect(answer.body.error.references).to.deep.equal({ tickets: 1, calls: 1, "cost consents": 1 });
    expect(answer.body.error.message).to.match(/erase/);
  });
});
