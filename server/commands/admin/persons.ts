import { randomInt } from "node:crypto";
import type { EntityManager } from "typeorm";
import { Call } from "../../../entities/Call.js";
import { Campus } from "../../../entities/Campus.js";
import { CostConsent } from "../../../entities/CostConsent.js";
import { Customer } from "../../../entities/Customer.js";
import type { Language, ReferenceRole } from "../../../entities/enums.js";
import { PhoneNumber } from "../../../entities/PhoneNumber.js";
import { ReferencePerson } from "../../../entities/ReferencePerson.js";
import { RemoteSession } from "../../../entities/RemoteSession.js";
import { Ticket } from "../../../entities/Ticket.js";
import { tryNormalizePhoneNumber } from "../../domain/phone.js";
import { hashPin } from "../../domain/pin.js";
import { conflict, HttpError } from "../../errors/http-error.js";
import { inTransaction, type CommandContext } from "../transaction.js";
import { diffFields, writeAudit } from "./audit.js";
import { fetchPage, whereContains, type ListQuery } from "./listing.js";
import { personKey, roleProblem } from "./person-rules.js";
import { countWhere, duplicate, findOr404, guardUnique, invalidField, stillReferenced, unknownReference, type Actor } from "./records.js";

/** A registered number, already normalised to E.164. */
export interface PhoneNumberFields {
  e164: string;
  label?: string | null;
}

/** Editable fields of a reference person; the customer is fixed at creation. */
export interface PersonFields {
  campusId?: number | null;
  role: ReferenceRole;
  firstName: string;
  lastName: string;
  email?: string | null;
  language?: Language;
  active?: boolean;
  phoneNumbers?: PhoneNumberFields[];
}

const AUDITED = ["campusId", "role", "firstName", "lastName", "email", "language", "active", "phoneNumbers"] as const;
const duplicatePerson = (first: string, last: string) => duplicate("duplicate_person", "lastName", `This customer already has a reference person named ${first} ${last}.`);
const pinTaken = () => duplicate("pin_taken", "pin", "Another reference person already has this PIN.");

/** Persons matching the search (name, e-mail, customer, or a phone number in any notation), with customer, campus and numbers. */
export async function listPersons(context: CommandContext, query: ListQuery & { customerId?: number; campusId?: number; role?: ReferenceRole }) {
  const qb = context.dataSource
    .getRepository(ReferencePerson)
    .createQueryBuilder("person")
    .innerJoinAndSelect("person.customer", "customer")
    .leftJoinAndSelect("person.campus", "campus")
    .orderBy("customer.name", "ASC")
    .addOrderBy("person.lastName", "ASC")
    .addOrderBy("person.firstName", "ASC")
    .addOrderBy("person.id", "ASC");
  if (query.customerId !== undefined) qb.andWhere("person.customerId = :customerId", { customerId: query.customerId });
  if (query.campusId !== undefined) qb.andWhere("person.campusId = :campusId", { campusId: query.campusId });
  if (query.role !== undefined) qb.andWhere("person.role = :role", { role: query.role });
  const e164 = query.q ? tryNormalizePhoneNumber(query.q) : null;
  if (e164) qb.setParameter("searchE164", e164);
  whereContains(qb, ["person.firstName", "person.lastName", "person.email", "customer.name", "customer.code", "campus.name"], query.q, e164 ? ["person.id IN (SELECT pn.personId FROM phone_numbers pn WHERE pn.e164 = :searchE164)"] : []);
  const page = await fetchPage(qb, query);
  await attachNumbers(context.dataSource.manager, page.rows);
  return page;
}

/** One person with customer, campus and numbers, or 404. */
export async function loadPerson(manager: EntityManager, id: number): Promise<ReferencePerson> {
  return findOr404(manager, ReferencePerson, id, "Reference person", { customer: true, campus: true, phoneNumbers: true });
}

/** Creates a reference person with numbers (and optionally a PIN), enforcing the role rules and one person per name per customer. */
export async function personCreator(context: CommandContext & { pinSecret: string }, props: Actor & { customerId: number; fields: PersonFields; pin?: string }): Promise<ReferencePerson> {
  const { fields } = props;
  const id = await guardUnique(
    () =>
      inTransaction(context, async (tx) => {
        const customer = await tx.manager.getRepository(Customer).findOneBy({ id: props.customerId });
        if (!customer) throw unknownReference("customerId", `There is no customer ${props.customerId}.`);
        await checkPlacement(tx.manager, customer.id, fields.role, fields.campusId ?? null);
        await checkUniqueName(tx.manager, customer.id, fields.firstName, fields.lastName);
        const pinHash = props.pin === undefined ? null : await freePinHash(tx.manager, props.pin, context.pinSecret);
        const repository = tx.manager.getRepository(ReferencePerson);
        const person = await repository.save(
          repository.create({
            customerId: customer.id,
            campusId: fields.campusId ?? null,
            role: fields.role,
            firstName: fields.firstName,
            lastName: fields.lastName,
            email: fields.email ?? null,
            language: fields.language ?? "nl",
            active: fields.active ?? true,
            pinHash,
          }),
        );
        await replaceNumbers(tx.manager, person.id, fields.phoneNumbers ?? []);
        await writeAudit(tx.manager, {
          actorAgentId: props.actorId,
          entityType: "reference_person",
          entityId: person.id,
          action: "create",
          changes: { customerId: customer.id, ...auditable(person, fields.phoneNumbers ?? []), pinSet: pinHash !== null },
        });
        return person.id;
      }),
    () => (props.pin !== undefined ? pinTaken() : duplicatePerson(fields.firstName, fields.lastName)),
  );
  return loadPerson(context.dataSource.manager, id);
}

/** Changes a person; `phoneNumbers`, when given, replaces the registered set. Erased persons cannot change. */
export async function personUpdater(context: CommandContext, props: Actor & { id: number; fields: Partial<PersonFields> }): Promise<ReferencePerson> {
  const { fields } = props;
  await inTransaction(context, async (tx) => {
    const person = await loadPerson(tx.manager, props.id);
    if (person.erasedAt) throw conflict("erased", "This reference person was erased and can no longer change.");
    const beforeNumbers = person.phoneNumbers.map((n) => ({ e164: n.e164, label: n.label }));
    const before = auditable(person, beforeNumbers);
    const next = {
      campusId: fields.campusId !== undefined ? fields.campusId : person.campusId,
      role: fields.role ?? person.role,
      firstName: fields.firstName ?? person.firstName,
      lastName: fields.lastName ?? person.lastName,
      email: fields.email !== undefined ? fields.email : person.email,
      language: fields.language ?? person.language,
      active: fields.active ?? Boolean(person.active),
    };
    await checkPlacement(tx.manager, person.customerId, next.role, next.campusId);
    if (personKey(0, next.firstName, next.lastName) !== personKey(0, person.firstName, person.lastName)) {
      await checkUniqueName(tx.manager, person.customerId, next.firstName, next.lastName, person.id);
    }
    await tx.manager.getRepository(ReferencePerson).update({ id: person.id }, next);
    const numbers = fields.phoneNumbers ?? beforeNumbers;
    if (fields.phoneNumbers) await replaceNumbers(tx.manager, person.id, fields.phoneNumbers);
    const changes = diffFields(before, auditable({ ...person, ...next } as ReferencePerson, numbers), AUDITED);
    if (Object.keys(changes).length > 0) await writeAudit(tx.manager, { actorAgentId: props.actorId, entityType: "reference_person", entityId: person.id, action: "update", changes });
  });
  return loadPerson(context.dataSource.manager, props.id);
}

/** Deletes a person nothing refers to; one with tickets, calls, consents or sessions must be deactivated or erased instead. */
export async function personDeleter(context: CommandContext, props: Actor & { id: number }): Promise<void> {
  await inTransaction(context, async (tx) => {
    const person = await loadPerson(tx.manager, props.id);
    const references = {
      tickets: await countWhere(tx.manager, Ticket, { reporterId: person.id }),
      calls: await countWhere(tx.manager, Call, { personId: person.id }),
      "cost consents": await countWhere(tx.manager, CostConsent, { decidedByPersonId: person.id }),
      "remote sessions": await countWhere(tx.manager, RemoteSession, { personId: person.id }),
    };
    if (Object.values(references).some((count) => count > 0)) {
      throw stillReferenced(`Reference person ${person.id}`, references, "Deactivate the person, or erase their data on request.");
    }
    await tx.manager.getRepository(ReferencePerson).delete({ id: person.id });
    await writeAudit(tx.manager, {
      actorAgentId: props.actorId,
      entityType: "reference_person",
      entityId: person.id,
      action: "delete",
      changes: { customerId: person.customerId, ...auditable(person, person.phoneNumbers) },
    });
  });
}

/** Sets a person's PIN (stored as a keyed hash); another person holding the same PIN is a 409. */
export async function pinSetter(context: CommandContext & { pinSecret: string }, props: Actor & { id: number; pin: string | null }): Promise<void> {
  await guardUnique(
    () =>
      inTransaction(context, async (tx) => {
        const person = await findOr404(tx.manager, ReferencePerson, props.id, "Reference person");
        if (person.erasedAt) throw conflict("erased", "This reference person was erased and can no longer change.");
        const pinHash = props.pin === null ? null : await freePinHash(tx.manager, props.pin, context.pinSecret, person.id);
        await tx.manager.getRepository(ReferencePerson).update({ id: person.id }, { pinHash });
        await writeAudit(tx.manager, { actorAgentId: props.actorId, entityType: "reference_person", entityId: person.id, action: props.pin === null ? "pin_remove" : "pin_reset" });
      }),
    pinTaken,
  );
}

/**
 * Resets a person's PIN: to the given one, or to a fresh random one (returned once, never stored in clear); a
 * generated PIN that another person holds is drawn again.
 */
export async function pinResetter(context: CommandContext & { pinSecret: string }, props: Actor & { id: number; pin?: string }): Promise<{ hasPin: true; pin?: string }> {
  if (props.pin !== undefined) {
    await pinSetter(context, { actorId: props.actorId, id: props.id, pin: props.pin });
    return { hasPin: true };
  }
  for (let attempt = 0; ; attempt++) {
    const pin = String(randomInt(0, 1_000_000)).padStart(6, "0");
    try {
      await pinSetter(context, { actorId: props.actorId, id: props.id, pin });
      return { hasPin: true, pin };
    } catch (error) {
      if (!(error instanceof HttpError && error.id === "pin_taken") || attempt >= 20) throw error;
    }
  }
}

/** Loads the numbers of the given persons in one query. */
export async function attachNumbers(manager: EntityManager, persons: ReferencePerson[]): Promise<void> {
  if (persons.length === 0) return;
  const numbers = await manager
    .getRepository(PhoneNumber)
    .createQueryBuilder("pn")
    .where("pn.personId IN (:...ids)", { ids: persons.map((p) => p.id) })
    .orderBy("pn.id", "ASC")
    .getMany();
  for (const person of persons) person.phoneNumbers = numbers.filter((n) => n.personId === person.id);
}

function auditable(person: ReferencePerson, numbers: PhoneNumberFields[]) {
  return {
    campusId: person.campusId,
    role: person.role,
    firstName: person.firstName,
    lastName: person.lastName,
    email: person.email,
    language: person.language,
    active: Boolean(person.active),
    phoneNumbers: numbers.map((n) => n.e164),
  };
}

async function checkPlacement(manager: EntityManager, customerId: number, role: ReferenceRole, campusId: number | null): Promise<void> {
  const problem = roleProblem(role, campusId);
  if (problem) throw invalidField("campusId", problem);
  if (campusId !== null) {
    const campus = await manager.getRepository(Campus).findOneBy({ id: campusId });
    if (!campus || campus.customerId !== customerId) throw unknownReference("campusId", `Campus ${campusId} is not a campus of this customer.`);
  }
}

async function checkUniqueName(manager: EntityManager, customerId: number, firstName: string, lastName: string, exceptId?: number): Promise<void> {
  const others = await manager
    .getRepository(ReferencePerson)
    .createQueryBuilder("person")
    .select(["person.id", "person.firstName", "person.lastName"])
    .where("person.customerId = :customerId", { customerId })
    .andWhere("person.erasedAt IS NULL")
    .getMany();
  const key = personKey(customerId, firstName, lastName);
  if (others.some((other) => other.id !== exceptId && personKey(customerId, other.firstName, other.lastName) === key)) throw duplicatePerson(firstName, lastName);
}

async function freePinHash(manager: EntityManager, pin: string, secret: string, ownerId?: number): Promise<string> {
  const pinHash = hashPin(pin, secret);
  const holder = await manager.getRepository(ReferencePerson).findOne({ where: { pinHash }, select: { id: true } });
  if (holder && holder.id !== ownerId) throw pinTaken();
  return pinHash;
}

async function replaceNumbers(manager: EntityManager, personId: number, numbers: PhoneNumberFields[]): Promise<void> {
  const repository = manager.getRepository(PhoneNumber);
  await repository.delete({ personId });
  const unique = [...new Map(numbers.map((n) => [n.e164, n])).values()];
  if (unique.length > 0) await repository.insert(unique.map((n) => ({ personId, e164: n.e164, label: n.label ?? null })));
}
