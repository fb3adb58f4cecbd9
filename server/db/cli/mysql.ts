// Data source for the typeorm CLI (migration:generate against a scratch MariaDB database).
import { DataSource } from "typeorm";
import { dataSourceOptions } from "../data-source.js";

export default new DataSource(
  dataSourceOptions({ url: process.env.MIGRATION_DATABASE_URL ?? "mysql://root@127.0.0.1:3306/servicedesk_migrations" }),
);
