import type { DataSource } from "typeorm";

/** Empties every table of the schema (keeps the tables and the migrations record): `npm run seed -- --reset`. */
export async function clearDatabase(dataSource: DataSource): Promise<void> {
  const tables = dataSource.entityMetadatas.map((metadata) => metadata.tableName);
  const joinTables = dataSource.entityMetadatas.flatMap((metadata) => metadata.manyToManyRelations.map((relation) => relation.junctionEntityMetadata!.tableName));
  const all = [...new Set([...joinTables, ...tables])];
  if (dataSource.options.type === "mysql") {
    // One connection for the whole run: FOREIGN_KEY_CHECKS is a session setting.
    await dataSource.transaction(async (manager) => {
      await manager.query("SET FOREIGN_KEY_CHECKS = 0");
      for (const table of all) await manager.query(`DELETE FROM \`${table}\``);
      await manager.query("SET FOREIGN_KEY_CHECKS = 1");
    });
    return;
  }
  // SQLite ignores this pragma inside a transaction, so it is set around it.
  await dataSource.query("PRAGMA foreign_keys = OFF");
  try {
    await dataSource.transaction(async (manager) => {
      for (const table of all) await manager.query(`DELETE FROM "${table}"`);
    });
  } finally {
    await dataSource.query("PRAGMA foreign_keys = ON");
  }
}
