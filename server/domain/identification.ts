import type { EntityManager } from "typeorm";
import { PhoneNumber } from "../../entities/PhoneNumber.js";
import { ReferencePerson } from "../../entities/ReferencePerson.js";
import { hashPin, PIN_PATTERN } from "./pin.js";

/** The outcome of recognising a caller (R2). */
export type Identification =
  | { kind: "known"; person: ReferencePerson }
  | { kind: "ambiguous"; candidates: ReferencePerson[] }
  | { kind: "unknown" };

/** Active reference persons registered with this E.164 number, with campus and customer loaded. */
export async function findPersonsByPhone(manager: EntityManager, e164: string): Promise<ReferencePerson[]> {
  return manager
    .getRepository(ReferencePerson)
    .createQueryBuilder("person")
    .innerJoin(PhoneNumber, "number", "number.personId = person.id AND number.e164 = :e164", { e164 })
    .leftJoinAndSelect("person.campus", "campus")
    .innerJoinAndSelect("person.customer", "customer")
    .where("person.active = :active", { active: true })
    .andWhere("person.erasedAt IS NULL")
    .orderBy("person.lastName", "ASC")
    .addOrderBy("person.id", "ASC")
    .getMany();
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

/** R2 by caller ID: one person → known; several (shared number) → ambiguous; none → unknown (ask the PIN). */
export async function identifyByCallerId(manager: EntityManager, e164: string | null): Promise<Identification> {
  if (!e164) return { kind: "unknown" };
  const persons = await findPersonsByPhone(manager, e164);
  if (persons.length === 1) return { kind: "known", person: persons[0]! };
  if (persons.length > 1) return { kind: "ambiguous", candidates: persons };
  return { kind: "unknown" };
}
