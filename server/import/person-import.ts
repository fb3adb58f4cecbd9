import { createHash } from "node:crypto";
import { IsNull, Not, type EntityManager } from "typeorm";
import { AuditEntry } from "../../entities/AuditEntry.js";
import { Campus } from "../../entities/Campus.js";
import { Customer } from "../../entities/Customer.js";
import type { Language, ReferenceRole } from "../../entities/enums.js";
import { PhoneNumber } from "../../entities/PhoneNumber.js";
import { ReferencePerson } from "../../entities/ReferencePerson.js";
import { personKey, roleProblem } from "../commands/admin/person-rules.js";
import { tryNormalizePhoneNumber } from "../domain/phone.js";
import { hashPin, PIN_PATTERN } from "../domain/pin.js";
import { forEachPage, insertAll, insertReturningIds } from "./batch-insert.js";
import { mapColumns, type CsvTable } from "./csv.js";
import { checkTable, type ImportProblem, type RowChecker } from "./report.js";
import { parseLanguage, parseRole, splitList } from "./values.js";

/** Columns of a reference-person file, with the header names accepted (English, Dutch, French). */
export const PERSON_COLUMNS = {
  customer: { names: ["customer", "klant", "client", "customerCode"], required: true },
  campus: { names: ["campus", "site"], required: false },
  role: { names: ["role", "rol", "rôle"], required: true },
  firstName: { names: ["firstName", "voornaam", "prénom"], required: true },
  lastName: { names: ["lastName", "achternaam", "familienaam", "nom"], required: true },
  email: { names: ["email", "e-mail", "mail"], required: false },
  language: { names: ["language", "taal", "langue"], required: false },
  phones: { names: ["phones", "phone", "telefoon", "téléphone", "numbers"], required: false },
  pin: { names: ["pin"], required: false },
};

/** A template file an administrator can fill in. */
export const PERSON_TEMPLATE = "customer;campus;role;firstName;lastName;email;language;phones;pin\r\nZORG-A;Campus Noord;campus;An;Peeters;an.peeters@example.be;nl;0470 12 34 56 | 03/123.45.67;\r\n";

/** What the planner needs from the database, loaded once per import. */
export interface PersonLookups {
  customers: Map<string, number>;
  campuses: Map<string, number>;
  /** compactKey of every person's personKey. */
  personKeys: Set<string>;
  /** compactKey of every PIN hash. */
  pinHashes: Set<string>;
}

/**
 * A 16-character flat string standing for a longer key (a person's identity, a PIN hash): the sets of existing
 * and already-seen keys of a 250,000-row import then take about half the memory (a built key is a chain of string
 * pieces; this is one small string). SHA-256's first 128 bits: no two keys of a file share one.
 */
export function compactKey(key: string): string {
  return createHash("sha256").update(key).digest().toString("latin1", 0, 16);
}

/** A validated row, ready to insert. */
export interface PlannedPerson {
  row: number;
  customerId: number;
  campusId: number | null;
  role: ReferenceRole;
  firstName: string;
  lastName: string;
  email: string | null;
  language: Language;
  pinHash: string | null;
  phones: string[];
}

const campusKey = (customerId: number, name: string) => `${customerId}|${name.toLocaleLowerCase("nl-BE")}`;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Loads customers, campuses, existing persons and PINs into maps (persons and PINs page by page). */
export async function loadPersonLookups(manager: EntityManager): Promise<PersonLookups> {
  const customers = await manager.getRepository(Customer).find({ select: { id: true, code: true } });
  const campuses = await manager.getRepository(Campus).find({ select: { id: true, customerId: true, name: true } });
  const personKeys = new Set<string>();
  await forEachPage(manager, ReferencePerson, { where: { erasedAt: IsNull() }, select: { customerId: true, firstName: true, lastName: true } }, (page) => {
    for (const p of page) personKeys.add(compactKey(personKey(p.customerId, p.firstName, p.lastName)));
  });
  const pinHashes = new Set<string>();
  await forEachPage(manager, ReferencePerson, { where: { pinHash: Not(IsNull()) }, select: { pinHash: true } }, (page) => {
    for (const p of page) pinHashes.add(compactKey(p.pinHash!));
  });
  return {
    customers: new Map(customers.map((c) => [c.code.toLowerCase(), c.id])),
    campuses: new Map(campuses.map((c) => [campusKey(c.customerId, c.name), c.id])),
    personKeys,
    pinHashes,
  };
}

/**
 * A checker of one row at a time against the rules, the lookups and the rows checked before it (duplicates
 * within the file): what a streamed import calls per row. Unknown or missing columns raise CsvFileError at once.
 */
export function personRowChecker(fileHeader: string[], lookups: PersonLookups, pinSecret: string): RowChecker<PlannedPerson> {
  const column = mapColumns(fileHeader, PERSON_COLUMNS);
  const header = (field: keyof typeof PERSON_COLUMNS) => (column[field] === null ? field : fileHeader[column[field]!]!);
  const seenKeys = new Map<string, number>();
  const seenPins = new Map<string, number>();

  return ({ row, cells }) => {
    const cell = (field: keyof typeof PERSON_COLUMNS) => (column[field] === null ? "" : cells[column[field]!]!);
    const rowProblems: ImportProblem[] = [];
    const problem = (field: keyof typeof PERSON_COLUMNS | null, code: string, message: string) =>
      rowProblems.push({ row, field: field === null ? null : header(field), code, message });

    const customerCode = cell("customer");
    const customerId = customerCode ? lookups.customers.get(customerCode.toLowerCase()) : undefined;
    if (!customerCode) problem("customer", "required", "The customer code is missing.");
    else if (customerId === undefined) problem("customer", "unknown_customer", `Unknown customer "${customerCode}".`);

    const campusName = cell("campus");
    let campusId: number | null = null;
    if (campusName && customerId !== undefined) {
      campusId = lookups.campuses.get(campusKey(customerId, campusName)) ?? null;
      if (campusId === null) problem("campus", "unknown_campus", `Customer "${customerCode}" has no campus "${campusName}".`);
    }

    const roleText = cell("role");
    const role = parseRole(roleText);
    if (!roleText) problem("role", "required", "The role is missing (campus, general or technical).");
    else if (!role) problem("role", "invalid_role", `Unknown role "${roleText}" (campus, general or technical).`);
    else if (!campusName) {
      const rule = roleProblem(role, null);
      if (rule) problem("campus", "role_needs_campus", `A campus reference person needs a campus.`);
    }

    const firstName = cell("firstName");
    const lastName = cell("lastName");
    for (const [field, value] of [["firstName", firstName], ["lastName", lastName]] as const) {
      if (!value) problem(field, "required", `The ${field === "firstName" ? "first" : "last"} name is missing.`);
      else if (value.length > 100) problem(field, "too_long", "At most 100 characters.");
      else if (/[\u0000-\u001f\u007f]/.test(value)) problem(field, "control_characters", "Contains control characters.");
    }
    if (customerId !== undefined && firstName && lastName) {
      const key = compactKey(personKey(customerId, firstName, lastName));
      if (lookups.personKeys.has(key)) problem("lastName", "duplicate_person", `${firstName} ${lastName} is already a reference person of "${customerCode}".`);
      else if (seenKeys.has(key)) problem("lastName", "duplicate_person", `${firstName} ${lastName} of "${customerCode}" is also on row ${seenKeys.get(key)}.`);
      else seenKeys.set(key, row);
    }

    const email = cell("email");
    if (email && (!EMAIL.test(email) || email.length > 200)) problem("email", "invalid_email", `"${email}" is not an e-mail address.`);

    const languageText = cell("language");
    const language = languageText ? parseLanguage(languageText) : "nl";
    if (!language) problem("language", "invalid_language", `Unknown language "${languageText}" (nl, fr, en or de).`);

    const phones: string[] = [];
    for (const raw of splitList(cell("phones"))) {
      const e164 = tryNormalizePhoneNumber(raw);
      if (!e164) problem("phones", "invalid_number", `"${raw}" is not a valid phone number.`);
      else if (!phones.includes(e164)) phones.push(e164);
    }
    if (phones.length > 10) problem("phones", "too_many_numbers", "At most 10 numbers per person.");

    const pin = cell("pin");
    let pinHash: string | null = null;
    if (pin) {
      if (!PIN_PATTERN.test(pin)) problem("pin", "invalid_pin", "A PIN has 4 to 8 digits.");
      else {
        pinHash = hashPin(pin, pinSecret);
        const pinKey = compactKey(pinHash);
        if (lookups.pinHashes.has(pinKey)) problem("pin", "pin_taken", "Another reference person already has this PIN.");
        else if (seenPins.has(pinKey)) problem("pin", "pin_taken", `The same PIN is also on row ${seenPins.get(pinKey)}.`);
        else seenPins.set(pinKey, row);
      }
    }

    if (rowProblems.length > 0) return { problems: rowProblems, planned: null };
    return { problems: [], planned: { row, customerId: customerId!, campusId, role: role!, firstName, lastName, email: email ? email.toLowerCase() : null, language: language!, pinHash, phones } };
  };
}

/** Checks every row of a whole table; returns all problems and the rows that passed. */
export function planPersonImport(table: CsvTable, lookups: PersonLookups, pinSecret: string): { problems: ImportProblem[]; persons: PlannedPerson[] } {
  const { problems, planned } = checkTable(table, personRowChecker(table.header, lookups, pinSecret));
  return { problems, persons: planned };
}

/** Writes one batch of planned persons (at most BATCH_SIZE), their numbers and audit entries; returns what it created. */
export async function writePersonBatch(manager: EntityManager, persons: PlannedPerson[], audit: { actorAgentId: number; jobId: string }): Promise<{ created: number; phoneNumbers: number }> {
  const ids = await insertReturningIds(
    manager,
    ReferencePerson,
    persons.map((p) => ({ customerId: p.customerId, campusId: p.campusId, role: p.role, firstName: p.firstName, lastName: p.lastName, email: p.email, language: p.language, pinHash: p.pinHash, active: true })),
    "firstName",
  );
  const numbers: Record<string, unknown>[] = [];
  const audits: Record<string, unknown>[] = [];
  persons.forEach((person, index) => {
    const personId = ids[index]!;
    for (const e164 of person.phones) numbers.push({ personId, e164, label: null });
    audits.push({ actorAgentId: audit.actorAgentId, entityType: "reference_person", entityId: String(personId), action: "import", changes: { importJobId: audit.jobId, row: person.row } });
  });
  await insertAll(manager, PhoneNumber, numbers, 1000);
  await insertAll(manager, AuditEntry, audits, 1000);
  return { created: persons.length, phoneNumbers: numbers.length };
}
