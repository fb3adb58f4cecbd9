import type { EntityManager } from "typeorm";
import { TicketSequence } from "../../entities/TicketSequence.js";

/** Formats a ticket number: year and a six-digit sequence, e.g. 2026-000123. */
export function formatTicketNumber(year: number, sequence: number): string {
  return `${year}-${String(sequence).padStart(6, "0")}`;
}

async function increment(manager: EntityManager, year: number): Promise<number> {
  const column = manager.connection.driver.escape("lastValue");
  const result = await manager
    .createQueryBuilder()
    .update(TicketSequence)
    .set({ lastValue: () => `${column} + 1` })
    .where({ year })
    .execute();
  return result.affected ?? 0;
}

/**
 * Takes the next ticket number of the year inside the caller's transaction. The UPDATE locks the
 * year's row until commit, so concurrent transactions get consecutive, unique numbers; the year's
 * first ticket creates the row.
 */
export async function nextTicketNumber(manager: EntityManager, year: number): Promise<string> {
  if ((await increment(manager, year)) === 0) {
    await manager.createQueryBuilder().insert().into(TicketSequence).values({ year, lastValue: 0 }).orIgnore().execute();
    await increment(manager, year);
  }
  const row = await manager.getRepository(TicketSequence).findOneByOrFail({ year });
  return formatTicketNumber(year, row.lastValue);
}
