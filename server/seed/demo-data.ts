import type { DataSource } from "typeorm";
import { Agent } from "../../entities/Agent.js";
import type { Env } from "../config/env.js";

/** True when no account exists yet (a fresh database). */
export async function isDatabaseEmpty(dataSource: DataSource): Promise<boolean> {
  return (await dataSource.getRepository(Agent).count()) === 0;
}

/** Loads the demo data set. Filled by the foundation issue's seed work. */
export async function loadDemoData(_dataSource: DataSource, _env: Env): Promise<void> {}
