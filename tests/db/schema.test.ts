import { expect } from "chai";
import { testDataSource } from "../support/database.js";

describe("database schema", () => {
  it("has migrations that create every table, column and index of the entities", async () => {
    const dataSource = await testDataSource();
    if (dataSource.options.type === "better-sqlite3") {
      // SQLite: nothing left for synchronize to do.
      const pending = await dataSource.driver.createSchemaBuilder().log();
      expect(pending.upQueries.map((query) => query.query)).to.deep.equal([]);
      return;
    }
    // MariaDB: TypeORM's diff reports every nullable column of MariaDB as changed (a known quirk), so compare the catalogue.
    const columns: { table: string; column: string; nullable: string }[] = await dataSource.query(
      "SELECT TABLE_NAME AS `table`, COLUMN_NAME AS `column`, IS_NULLABLE AS nullable FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE()",
    );
    const indexes: { name: string }[] = await dataSource.query("SELECT DISTINCT INDEX_NAME AS name FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE()");
    const actual = new Set(columns.map((c) => `${c.table}.${c.column}:${c.nullable === "YES"}`));
    const indexNames = new Set(indexes.map((i) => i.name));
    for (const entity of dataSource.entityMetadatas) {
      for (const column of entity.columns) {
        expect(actual.has(`${entity.tableName}.${column.databaseName}:${column.isNullable}`), `${entity.tableName}.${column.databaseName}`).to.equal(true);
      }
      for (const index of entity.indices) expect(indexNames.has(index.name), `index ${index.name} on ${entity.tableName}`).to.equal(true);
    }
  });

  it("has no pending migrations after start-up", async () => {
    const dataSource = await testDataSource();
    expect(await dataSource.showMigrations()).to.equal(false);
  });
});
