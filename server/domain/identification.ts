import { In, type EntityManager } from "typeorm";
import { PhoneNumber } from "../../entities/PhoneNumber.js";
import { ReferencePerson } from "../../entities/ReferencePerson.js";
import { leanColumns, leanHydrate, leanParam, leanTable } from "../db/lean.js";
import { readOne, type Read } from "../db/reads.js";
import { hashPin, PIN_PATTERN } from "./pin.js";

/** The outcome of recognising a caller (R2). */
export type Identification =
  | { kind: "known"; person: ReferencePerson }
  | { kind: "ambiguous"; candidates: ReferencePerson[] }
  | { kind: "unknown" };

/** The persons a caller ID may belong to: active, not erased, registered with that number. */
export function callerPersonsCondition(manager: EntityManager): { joins: string; where: string; params: (e164: string) => unknown[] } {
  const escape = (name: string) => manager.connection.driver.escape(name);
  return {
    joins: `${leanTable(manager, PhoneNumber)} n INNER JOIN ${leanTable(manager, ReferencePerson)} p ON p.id = n.${escape("personId")}`,
    where: `n.e164 = ? AND p.active = ? AND p.${escape("erasedAt")} IS NULL`,
    params: (e164) => [e164, leanParam(manager, ReferencePerson, "active", true)],
  };
}

/** Active reference persons registered with this E.164 number (read on every call: plain SQL, the person's own columns). */
export function personsByPhoneRead(manager: EntityManager, e164: string): Read<ReferencePerson[]> {
  const callers = callerPersonsCondition(manager);
  return {
    sql: `SELECT ${leanColumns(manager, ReferencePerson, "p")} FROM ${callers.joins} WHERE ${callers.where}`,
    params: callers.params(e164),
    shape(rows) {
      const persons = new Map<number, ReferencePerson>();
      for (const row of rows) {
        // One person registered twice with the same number is still one person.
        if (persons.has(Number(row.p__id))) continue;
        persons.set(Number(row.p__id), leanHydrate(manager, ReferencePerson, "p", row)!);
      }
      // Ordered here, not in SQL: an ORDER BY over the joined rows would make MariaDB build a temporary table.
      return [...persons.values()].sort((a, b) => a.lastName.localeCompare(b.lastName) || a.id - b.id);
    },
  };
}

export function findPersonsByPhone(manager: EntityManager, e164: string): Promise<ReferencePerson[]> {
  return readOne(manager, personsByPhoneRead(manager, e164));
}

/** The active reference person with this PIN, or null (also null for input that is not a PIN). */
export async function findPersonByPin(manager: EntityManager, pin: string, secret: string): Promise<ReferencePerson | null> {
  if (!PIN_PATTERN.test(pin)) return null;
  const person = await manager.getRepository(ReferencePerson).findOne({
    where: { pinHash: hashPin(pin, secret), active: true },
    // What identifying the caller reads of them (server/commands/ivr/effects.ts), so it needs no second read.
    relations: { phoneNumbers: true },
  });
  return person && !person.erasedAt ? person : null;
}

/**
 * The active persons whose PIN is one digit from `pin` (same length, one digit replaced): whom a wrong PIN was most
 * likely meant for, a mistyped digit or a guess closing in. PINs are keyed hashes, so the neighbours are hashed
 * (at most 8 × 9) and looked up at once.
 */
export async function findPersonsOneDigitFrom(manager: EntityManager, pin: string, secret: string): Promise<ReferencePerson[]> {
  if (!PIN_PATTERN.test(pin)) return [];
  const hashes: string[] = [];
  for (let position = 0; position < pin.length; position++) {
    for (const digit of "0123456789") {
      if (digit !== pin[position]) hashes.push(hashPin(pin.slice(0, position) + digit + pin.slice(position + 1), secret));
    }
  }
  const persons = await manager.getRepository(ReferencePerson).find({ where: { pinHash: In(hashes), active: true }, relations: { customer: true } });
  return persons.filter((person) => !person.erasedAt);
}

/** R2 by caller ID: one person → known; several (shared number) → ambiguous; none → unknown (ask the PIN). */
export function identificationOf(persons: ReferencePerson[]): Identification {
  if (persons.length === 1) return { kind: "known", person: persons[0]! };
  if (persons.length > 1) return { kind: "ambiguous", candidates: persons };
  return { kind: "unknown" };
}

export async function identifyByCallerId(manager: EntityManager, e164: string | null): Promise<Identification> {
  return e164 ? identificationOf(await findPersonsByPhone(manager, e164)) : { kind: "unknown" };
}
