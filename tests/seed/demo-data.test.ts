import { expect } from "chai";
import fs from "node:fs";
import path from "node:path";
import type { DataSource } from "typeorm";
import { Agent } from "../../entities/Agent.js";
import { Campus } from "../../entities/Campus.js";
import { Customer } from "../../entities/Customer.js";
import { LANGUAGES } from "../../entities/enums.js";
import { PhoneNumber } from "../../entities/PhoneNumber.js";
import { Product } from "../../entities/Product.js";
import { ReferencePerson } from "../../entities/ReferencePerson.js";
import { SlaPolicy } from "../../entities/SlaPolicy.js";
import { verifyPassword } from "../../server/auth/passwords.js";
import { parseEnv } from "../../server/config/env.js";
import { loadEntitlement } from "../../server/domain/entitlement.js";
import { findPersonByPin, identifyByCallerId } from "../../server/domain/identification.js";
import { normalizePhoneNumber } from "../../server/domain/phone.js";
import { loadAllReferenceCompleteness } from "../../server/domain/reference-completeness.js";
import { DemoDataPresentError } from "../../server/errors/demo-data-present-error.js";
import { projectRoot } from "../../server/paths.js";
import { passwordWeakness } from "../../server/auth/password-strength.js";
import { DEMO_AGENTS, DEMO_CUSTOMERS, DEMO_PASSWORD, SIMULATOR_DEFAULT_CALLER } from "../../server/seed/demo-data-set.js";
import { isDatabaseEmpty, loadDemoData } from "../../server/seed/demo-data.js";
import { resetDatabase, testDataSource } from "../support/database.js";

const env = parseEnv({ PIN_SECRET: "demo-data-test-pin-secret" });
const today = "2026-03-02";

describe("demo data", () => {
  let dataSource: DataSource;
  before(async () => {
    dataSource = await testDataSource();
    await resetDatabase(dataSource);
    expect(await isDatabaseEmpty(dataSource)).to.equal(true);
    await loadDemoData(dataSource, env, { today });
  });
  after(async () => {
    await resetDatabase(dataSource);
  });

  const customerByCode = (code: string) => dataSource.getRepository(Customer).findOneByOrFail({ code });
  const productByCode = (code: string) => dataSource.getRepository(Product).findOneByOrFail({ code });

  it("has at least three customers with two or more campuses each", async () => {
    const customers = await dataSource.getRepository(Customer).find();
    expect(customers.length).to.be.at.least(3);
    for (const customer of customers) {
      expect(await dataSource.getRepository(Campus).countBy({ customerId: customer.id }), customer.name).to.be.at.least(2);
    }
  });

  it("designates every role for all customers but one, which administration flags (R3)", async () => {
    const report = await loadAllReferenceCompleteness(dataSource.manager);
    const incomplete = [...report.entries()].filter(([, r]) => !r.complete);
    expect(incomplete).to.have.length(1);
    const flagged = await dataSource.getRepository(Customer).findOneByOrFail({ id: incomplete[0]![0] });
    expect(flagged.code).to.equal("LEIESCHELDE");
    expect(incomplete[0]![1].missing).to.deep.equal(["technical"]);
  });

  it("has reference persons speaking each of nl, fr, en and de", async () => {
    const persons = await dataSource.getRepository(ReferencePerson).findBy({ active: true });
    expect([...new Set(persons.map((p) => p.language))].sort()).to.deep.equal([...LANGUAGES].sort());
  });

  it("stores every phone number in E.164", async () => {
    const numbers = await dataSource.getRepository(PhoneNumber).find();
    expect(numbers.length).to.be.at.least(15);
    for (const number of numbers) {
      expect(number.e164).to.match(/^\+32\d{8,9}$/);
      expect(normalizePhoneNumber(number.e164)).to.equal(number.e164);
    }
  });

  it("makes the simulator's default caller a known, entitled, Dutch-speaking reference person", async () => {
    const identification = await identifyByCallerId(dataSource.manager, SIMULATOR_DEFAULT_CALLER);
    expect(identification.kind).to.equal("known");
    const person = (identification as { person: ReferencePerson }).person;
    expect(person).to.include({ firstName: "An", lastName: "Peeters", language: "nl", role: "campus" });
    const verdict = await loadEntitlement(dataSource.manager, person.customerId, (await productByCode("ZORGDOSSIER")).id, today);
    expect(verdict).to.include({ entitled: true, reason: "entitled" });
  });

  it("shares one number between two persons of the same customer (R2)", async () => {
    const identification = await identifyByCallerId(dataSource.manager, "+3234401020");
    expect(identification.kind).to.equal("ambiguous");
    const candidates = (identification as { candidates: ReferencePerson[] }).candidates;
    expect(candidates.map((p) => p.firstName).sort()).to.deep.equal(["Jan", "Sofie"]);
    expect(new Set(candidates.map((p) => p.customerId)).size).to.equal(1);
  });

  it("identifies every person with a PIN by that PIN, hashed with PIN_SECRET", async () => {
    for (const customer of DEMO_CUSTOMERS) {
      for (const demo of customer.persons.filter((p) => p.pin && !p.inactive)) {
        const person = await findPersonByPin(dataSource.manager, demo.pin!, env.PIN_SECRET);
        expect(person?.lastName, demo.pin!).to.equal(demo.lastName);
      }
    }
    const stored = await dataSource.getRepository(ReferencePerson).findOneByOrFail({ lastName: "Lambert" });
    expect(stored.pinHash).to.not.equal("7315");
  });

  it("does not serve the former reference person any more", async () => {
    expect((await identifyByCallerId(dataSource.manager, "+32479102030")).kind).to.equal("unknown");
  });

  it("has one expired and one unpaid contract, and products covered and not covered", async () => {
    const zorgdossier = (await productByCode("ZORGDOSSIER")).id;
    const verdictOf = async (code: string, productId: number) => (await loadEntitlement(dataSource.manager, (await customerByCode(code)).id, productId, today)).reason;
    expect(await verdictOf("EIFEL", zorgdossier)).to.equal("expired");
    expect(await verdictOf("LEIESCHELDE", zorgdossier)).to.equal("unpaid");
    expect(await verdictOf("TILLEULS", (await productByCode("FACTURATIE")).id)).to.equal("entitled");
    expect(await verdictOf("ZONNEBLOEM", (await productByCode("FACTURATIE")).id)).to.equal("product_not_covered");
  });

  it("has a business-hours and a 24/7 SLA policy with targets for every priority", async () => {
    const policies = await dataSource.getRepository(SlaPolicy).find();
    expect(policies.map((p) => p.twentyFourSeven).sort()).to.deep.equal([false, true]);
    for (const policy of policies) expect(Object.keys(policy.targets).sort()).to.deep.equal(["critical", "high", "low", "normal"]);
  });

  it("has an nl/fr agent, an en/de/nl agent, a supervisor and an admin who log in with the demo password", async () => {
    const agents = await dataSource.getRepository(Agent).find({ order: { id: "ASC" } });
    expect(agents.map((a) => [a.role, a.languages])).to.deep.equal([
      ["agent", ["nl", "fr"]],
      ["agent", ["en", "de", "nl"]],
      ["supervisor", ["nl", "fr", "en"]],
      ["admin", ["fr", "nl", "en"]],
    ]);
    for (const agent of agents) expect(await verifyPassword(DEMO_PASSWORD, agent.passwordHash), agent.email).to.equal(true);
  });

  it("gives the demo accounts a password the desk's own rule accepts (no exemption for them)", () => {
    for (const agent of DEMO_AGENTS) expect(passwordWeakness(DEMO_PASSWORD, [agent.email, agent.name]), agent.email).to.equal(null);
  });

  it("refuses a second load and leaves the data as it was", async () => {
    let error: unknown;
    try {
      await loadDemoData(dataSource, env, { today });
    } catch (caught) {
      error = caught;
    }
    expect(error).to.be.instanceOf(DemoDataPresentError);
    expect(await dataSource.getRepository(Customer).count()).to.equal(DEMO_CUSTOMERS.length);
    expect(await dataSource.getRepository(Agent).count()).to.equal(DEMO_AGENTS.length);
  });

  it("is documented: docs/demo-data.md lists every login, PIN and phone number", () => {
    const docs = fs.readFileSync(path.join(projectRoot, "docs", "demo-data.md"), "utf8");
    expect(docs).to.include(DEMO_PASSWORD);
    for (const agent of DEMO_AGENTS) expect(docs).to.include(agent.email);
    for (const customer of DEMO_CUSTOMERS) {
      for (const person of customer.persons) {
        if (person.pin) expect(docs, `${person.lastName}'s PIN`).to.include(person.pin);
        for (const phone of person.phones) expect(docs, phone.number).to.include(normalizePhoneNumber(phone.number));
      }
    }
  });
});
