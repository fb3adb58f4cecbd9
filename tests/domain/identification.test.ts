import { expect } from "chai";
import type { DataSource } from "typeorm";
import { ReferencePerson } from "../../entities/index.js";
import { readTogether } from "../../server/db/reads.js";
import { callerContractsRead, loadContracts } from "../../server/domain/entitlement.js";
import { findPersonByPin, identificationOf, identifyByCallerId, personsByPhoneRead } from "../../server/domain/identification.js";
import { normalizePhoneNumber } from "../../server/domain/phone.js";
import { resetDatabase, testDataSource } from "../support/database.js";
import { fixtures, TEST_PIN_SECRET } from "../support/fixtures.js";

describe("caller identification (R2)", () => {
  let dataSource: DataSource;
  let make: ReturnType<typeof fixtures>;
  beforeEach(async () => {
    dataSource = await testDataSource();
    await resetDatabase(dataSource);
    make = fixtures(dataSource);
  });

  it("recognises a caller whose Belgian national number matches a registered number", async () => {
    const customer = await make.customer();
    const person = await make.person(customer, { phones: ["+3231234567"] });
    const result = await identifyByCallerId(dataSource.manager, normalizePhoneNumber("+32 (0)3 123 45 67"));
    expect(result.kind).to.equal("known");
    expect(result.kind === "known" && result.person.id).to.equal(person.id);
    expect(result.kind === "known" && result.person.customerId).to.equal(customer.id);
  });

  it("asks which person when two persons share the number", async () => {
    const customer = await make.customer();
    const campus = await make.campus(customer);
    const first = await make.person(customer, { phones: ["+3292345678"], lastName: "Aerts" });
    const second = await make.person(customer, { phones: ["+3292345678"], role: "campus", campus, lastName: "Claes" });
    const result = await identifyByCallerId(dataSource.manager, "+3292345678");
    expect(result.kind).to.equal("ambiguous");
    expect(result.kind === "ambiguous" && result.candidates.map((p) => p.id)).to.deep.equal([first.id, second.id]);
  });

  it("does not recognise a number nobody registered, nor a withheld one", async () => {
    expect((await identifyByCallerId(dataSource.manager, "+32499999999")).kind).to.equal("unknown");
    expect((await identifyByCallerId(dataSource.manager, null)).kind).to.equal("unknown");
  });

  it("does not recognise deactivated or erased persons", async () => {
    const customer = await make.customer();
    const gone = await make.person(customer, { phones: ["+32470000001"] });
    await dataSource.getRepository(ReferencePerson).update(gone.id, { active: false });
    expect((await identifyByCallerId(dataSource.manager, "+32470000001")).kind).to.equal("unknown");
  });

  it("reads the caller ID's persons with their customers' contracts, each contract and product once", async () => {
    const [shared, other, bare] = [await make.customer(), await make.customer(), await make.customer()];
    const policy = await make.slaPolicy();
    const [app, module] = [await make.product(), await make.product()];
    await make.contract(shared, [app, module], policy);
    await make.contract(shared, [app], policy, { validFrom: "2020-01-01", validTo: "2020-12-31" });
    await make.contract(other, [module], policy);
    // Two persons of one customer and one of another share the number; a fourth customer's person has no contract.
    for (const customer of [shared, shared, other, bare]) await make.person(customer, { phones: ["+3250123456"] });
    await make.person(other, { phones: ["+3250999999"] });
    const [persons, contracts] = await readTogether(dataSource.manager, [personsByPhoneRead(dataSource.manager, "+3250123456"), callerContractsRead(dataSource.manager, "+3250123456")] as const);
    expect(identificationOf(persons).kind).to.equal("ambiguous");
    expect([...contracts.keys()].sort()).to.deep.equal([shared.id, other.id].sort());
    // The same contracts, products and order as reading each customer's contracts on their own.
    for (const customer of [shared, other]) {
      const alone = await loadContracts(dataSource.manager, customer.id);
      expect(contracts.get(customer.id)!.map((contract) => [contract.id, contract.products.map((product) => product.id)])).to.deep.equal(alone.map((contract) => [contract.id, contract.products.map((product) => product.id)]));
    }
    expect(contracts.get(shared.id)![0]!.products.map((product) => product.id)).to.deep.equal([app.id, module.id].sort((a, b) => a - b));
  });

  it("finds a person by PIN and refuses a wrong or malformed PIN", async () => {
    const customer = await make.customer();
    const person = await make.person(customer, { pin: "482913" });
    expect((await findPersonByPin(dataSource.manager, "482913", TEST_PIN_SECRET))?.id).to.equal(person.id);
    expect(await findPersonByPin(dataSource.manager, "482914", TEST_PIN_SECRET)).to.equal(null);
    expect(await findPersonByPin(dataSource.manager, "48*913", TEST_PIN_SECRET)).to.equal(null);
    expect(await findPersonByPin(dataSource.manager, "482913", "another-secret-value-xx")).to.equal(null);
  });
});
