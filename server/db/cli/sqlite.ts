// Data source for the typeorm CLI (migration:generate against a scratch SQLite file).
import { DataSource } from "typeorm";
import { dataSourceOptions } from "../data-source.js";

export default new DataSource(dataSourceOptions({ sqliteFile: process.env.MIGRATION_SQLITE_FILE ?? "./data/migrations-scratch.sqlite" }));
