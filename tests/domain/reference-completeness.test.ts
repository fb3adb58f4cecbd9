import { expect } from "chai";
import type { DataSource } from "typeorm";
import { loadAllReferenceCompleteness, loadReferenceCompleteness, referenceCompleteness } from "../../server/domain/reference-completeness.js";
import { makeCustomer, makePerson } from "../commands/fixtures.js";
import { resetDatabase, testDataSource } from "../support/database.js";

const campuses = [
  { id: 1, name: "Campus Berchem" },
  { id: 2, name: "Campus Mortsel" },
];

describe("reference-person completeness (R3)", () => {
  it("is complete with a campus person for every campus, a general and a technical one", () => {
    const report = referenceCompleteness(campuses, [
      { role: "campus", campusId: 1 },
      { role: "campus", campusId: 2 },
      { role: "general", campusId: null },
      { role: "technical", campusId: null },
    ]);
    expect(report).to.deep.equal({ complete: true, campusesWithoutReference: [], hasGeneral: true, hasTechnical: true, missing: [] });
  });

  it("flags a campus that has no campus reference person", () => {
    const report = referenceCompleteness(campuses, [
      { role: "campus", campusId: 1 },
      { role: "general", campusId: null },
      { role: "technical", campusId: null },
    ]);
    expect(report.complete).to.equal(false);
    expect(report.campusesWithoutReference).to.deep.equal([{ id: 2, name: "Campus Mortsel" }]);
    expect(report.missing).to.deep.equal(["campus:2"]);
  });

  it("does not let a general contact who works at a campus count as that campus's reference person", () => {
    const report = referenceCompleteness(campuses, [
      { role: "campus", campusId: 1 },
      { role: "general", campusId: 2 },
      { role: "technical", campusId: 2 },
    ]);
    expect(report.campusesWithoutReference.map((c) => c.id)).to.deep.equal([2]);
  });

  it("flags a missing general and a missing technical contact", () => {
    const report = referenceCompleteness(campuses, [
      { role: "campus", campusId: 1 },
      { role: "campus", campusId: 2 },
    ]);
    expect(report).to.include({ complete: false, hasGeneral: false, hasTechnical: false });
    expect(report.missing).to.deep.equal(["general", "technical"]);
  });

  it("does not count inactive or erased persons", () => {
    const report = referenceCompleteness(campuses, [
      { role: "campus", campusId: 1 },
      { role: "campus", campusId: 2, active: false },
      { role: "general", campusId: null, erasedAt: new Date("2026-01-01T00:00:00Z") },
      { role: "technical", campusId: null },
    ]);
    expect(report.missing).to.deep.equal(["campus:2", "general"]);
  });

  describe("loaded from the database", () => {
    let dataSource: DataSource;
    before(async () => {
      dataSource = await testDataSource();
    });
    beforeEach(async () => {
      await resetDatabase(dataSource);
    });

    it("reports one customer from its campuses and active persons", async () => {
      const { customer, campuses: [north, south] } = await makeCustomer(dataSource, { campuses: ["North", "South"] });
      await makePerson(dataSource, customer.id, { role: "campus", campusId: north!.id });
      await makePerson(dataSource, customer.id, { role: "campus", campusId: south!.id, erasedAt: new Date("2026-01-05T10:00:00Z") });
      await makePerson(dataSource, customer.id, { role: "general" });
      await makePerson(dataSource, customer.id, { role: "technical", active: false });
      const report = await loadReferenceCompleteness(dataSource.manager, customer.id);
      expect(report.campusesWithoutReference).to.deep.equal([{ id: south!.id, name: "South" }]);
      expect(report.missing).to.deep.equal([`campus:${south!.id}`, "technical"]);
    });

    it("ignores a campus person whose campus belongs to another customer", async () => {
      const other = await makeCustomer(dataSource, { campuses: ["Elsewhere"] });
      const { customer } = await makeCustomer(dataSource, { campuses: ["Home"] });
      await makePerson(dataSource, customer.id, { role: "campus", campusId: other.campuses[0]!.id });
      await makePerson(dataSource, customer.id, { role: "general" });
      await makePerson(dataSource, customer.id, { role: "technical" });
      const report = await loadReferenceCompleteness(dataSource.manager, customer.id);
      expect(report.campusesWithoutReference.map((c) => c.name)).to.deep.equal(["Home"]);
    });

    it("reports every customer with the same few queries, however many customers there are", async () => {
      const complete = await makeCustomer(dataSource, { campuses: ["A"] });
      await makePerson(dataSource, complete.customer.id, { role: "campus", campusId: complete.campuses[0]!.id });
      await makePerson(dataSource, complete.customer.id, { role: "general" });
      await makePerson(dataSource, complete.customer.id, { role: "technical" });
      const incomplete = await makeCustomer(dataSource, { campuses: ["B", "C"] });
      await makePerson(dataSource, incomplete.customer.id, { role: "general" });
      for (let i = 0; i < 8; i++) await makeCustomer(dataSource, { campuses: ["X", "Y"] });

      const logger = dataSource.logger;
      const original = logger.logQuery;
      let queries = 0;
      logger.logQuery = (...args) => {
        queries++;
        return original.apply(logger, args);
      };
      let report;
      try {
        report = await loadAllReferenceCompleteness(dataSource.manager);
      } finally {
        logger.logQuery = original;
      }
      expect(queries).to.be.at.most(3);
      expect(report.size).to.equal(10);
      expect(report.get(complete.customer.id)!.complete).to.equal(true);
      expect(report.get(incomplete.customer.id)!.missing).to.deep.equal([
        `campus:${incomplete.campuses[0]!.id}`,
        `campus:${incomplete.campuses[1]!.id}`,
        "technical",
      ]);
    });
  });
});
