import type { AgentRole, Language, Priority, ReferenceRole, UiLanguage } from "../../entities/enums.js";
import type { SlaTarget } from "../../entities/SlaPolicy.js";

/**
 * The demo data set as plain data: fictional Belgian care organisations, their reference persons and
 * contracts, and the desk's accounts. docs/demo-data.md lists the same logins, numbers and PINs.
 * Phone numbers are written the way people write them; the loader normalises them to E.164.
 */

/** Password of every demo account: strong enough for the desk's own rule (server/auth/password-strength.ts), which has no exemption. */
export const DEMO_PASSWORD = "Zorgdesk-Demo-2026!";

/** The number the phone simulator calls from by default: a known, entitled, Dutch-speaking reference person. */
export const SIMULATOR_DEFAULT_CALLER = "+32470123456";

export interface DemoAgent {
  email: string;
  name: string;
  role: AgentRole;
  languages: Language[];
  uiLanguage: UiLanguage;
}

export const DEMO_AGENTS: DemoAgent[] = [
  { email: "lotte.vermeulen@caresolutions.example", name: "Lotte Vermeulen", role: "agent", languages: ["nl", "fr"], uiLanguage: "nl" },
  { email: "thomas.schreiber@caresolutions.example", name: "Thomas Schreiber", role: "agent", languages: ["en", "de", "nl"], uiLanguage: "en" },
  { email: "els.wouters@caresolutions.example", name: "Els Wouters", role: "supervisor", languages: ["nl", "fr", "en"], uiLanguage: "nl" },
  { email: "marc.dubois@caresolutions.example", name: "Marc Dubois", role: "admin", languages: ["fr", "nl", "en"], uiLanguage: "fr" },
];

export interface DemoProduct {
  code: string;
  name: string;
  spokenNames: Record<Language, string>;
}

export const DEMO_PRODUCTS: DemoProduct[] = [
  { code: "ZORGDOSSIER", name: "Zorgdossier", spokenNames: { nl: "Zorgdossier", fr: "Dossier de soins", en: "Care record", de: "Pflegeakte" } },
  { code: "MEDICATIE", name: "Medicatiebeheer", spokenNames: { nl: "Medicatiebeheer", fr: "Gestion des médicaments", en: "Medication management", de: "Medikationsverwaltung" } },
  { code: "PLANNING", name: "Planning", spokenNames: { nl: "Planning", fr: "Planning du personnel", en: "Staff scheduling", de: "Dienstplanung" } },
  { code: "FACTURATIE", name: "Facturatie", spokenNames: { nl: "Facturatie", fr: "Facturation", en: "Invoicing", de: "Fakturierung" } },
];

export interface DemoSlaPolicy {
  name: string;
  twentyFourSeven: boolean;
  targets: Record<Priority, SlaTarget>;
}

/** A business day is 08:30–17:00, 510 minutes. */
export const DEMO_SLA_POLICIES: DemoSlaPolicy[] = [
  {
    name: "Standaard (kantooruren)",
    twentyFourSeven: false,
    targets: {
      critical: { firstResponseMinutes: 30, resolutionMinutes: 480 },
      high: { firstResponseMinutes: 60, resolutionMinutes: 1020 },
      normal: { firstResponseMinutes: 240, resolutionMinutes: 2550 },
      low: { firstResponseMinutes: 480, resolutionMinutes: 5100 },
    },
  },
  {
    name: "Premium 24/7",
    twentyFourSeven: true,
    targets: {
      critical: { firstResponseMinutes: 15, resolutionMinutes: 240 },
      high: { firstResponseMinutes: 30, resolutionMinutes: 480 },
      normal: { firstResponseMinutes: 120, resolutionMinutes: 1440 },
      low: { firstResponseMinutes: 480, resolutionMinutes: 4320 },
    },
  },
];

export interface DemoPerson {
  firstName: string;
  lastName: string;
  role: ReferenceRole;
  /** Campus name (required for the campus role). */
  campus?: string;
  language: Language;
  email: string;
  /** Personal PIN for callers whose number is not recognised; listed in docs/demo-data.md. */
  pin: string | null;
  phones: { number: string; label: string }[];
  /** A former reference person: kept for history, no longer served. */
  inactive?: boolean;
}

/** Which contract shape a customer gets, relative to the day the data is loaded. */
export type DemoContractKind = "valid" | "expired" | "unpaid";

export interface DemoCustomer {
  code: string;
  name: string;
  supplierName: string | null;
  supplierEmail: string | null;
  campuses: { name: string; city: string }[];
  contract: { reference: string; kind: DemoContractKind; slaPolicy: string; products: string[] };
  persons: DemoPerson[];
}

/** The number of the reception in Mortsel, registered for two persons of Zonnebloem (R2: the IVR asks which one). */
export const SHARED_NUMBER = "03 440 10 20";

export const DEMO_CUSTOMERS: DemoCustomer[] = [
  {
    code: "ZONNEBLOEM",
    name: "Woonzorggroep Zonnebloem vzw",
    supplierName: "Antwerp ICT Services bv",
    supplierEmail: "support@antwerp-ict.example",
    campuses: [
      { name: "Campus Berchem", city: "Antwerpen" },
      { name: "Campus Mortsel", city: "Mortsel" },
      { name: "Campus Edegem", city: "Edegem" },
    ],
    contract: { reference: "ZB-2024-001", kind: "valid", slaPolicy: "Standaard (kantooruren)", products: ["ZORGDOSSIER", "MEDICATIE", "PLANNING"] },
    persons: [
      {
        firstName: "An", lastName: "Peeters", role: "campus", campus: "Campus Berchem", language: "nl", email: "an.peeters@zonnebloem.example", pin: "2580",
        phones: [{ number: "0470 12 34 56", label: "gsm" }, { number: "03/230.45.67", label: "bureau" }],
      },
      {
        firstName: "Jan", lastName: "Janssens", role: "campus", campus: "Campus Mortsel", language: "nl", email: "jan.janssens@zonnebloem.example", pin: "3691",
        phones: [{ number: SHARED_NUMBER, label: "onthaal Mortsel" }],
      },
      {
        firstName: "Fatima", lastName: "El Amrani", role: "campus", campus: "Campus Edegem", language: "fr", email: "fatima.elamrani@zonnebloem.example", pin: "4826",
        phones: [{ number: "0486 55 44 33", label: "gsm" }],
      },
      {
        firstName: "Sofie", lastName: "Maes", role: "general", campus: "Campus Mortsel", language: "nl", email: "sofie.maes@zonnebloem.example", pin: "5173",
        phones: [{ number: "0475 98 76 54", label: "gsm" }, { number: SHARED_NUMBER, label: "onthaal Mortsel" }],
      },
      {
        firstName: "David", lastName: "Wilson", role: "technical", language: "en", email: "david.wilson@zonnebloem.example", pin: "6042",
        phones: [{ number: "+32 (0)499 11 22 33", label: "mobile" }, { number: "03 218 40 00", label: "IT office" }],
      },
      {
        firstName: "Karel", lastName: "Wouters", role: "campus", campus: "Campus Edegem", language: "nl", email: "karel.wouters@zonnebloem.example", pin: null,
        phones: [{ number: "0479 10 20 30", label: "gsm" }], inactive: true,
      },
    ],
  },
  {
    code: "TILLEULS",
    name: "Résidences Les Tilleuls ASBL",
    supplierName: "Wallonie Informatique SRL",
    supplierEmail: "helpdesk@wallonie-informatique.example",
    campuses: [
      { name: "Site de Namur", city: "Namur" },
      { name: "Site de Liège", city: "Liège" },
    ],
    contract: { reference: "LT-2023-014", kind: "valid", slaPolicy: "Premium 24/7", products: ["ZORGDOSSIER", "MEDICATIE", "PLANNING", "FACTURATIE"] },
    persons: [
      {
        firstName: "Isabelle", lastName: "Lambert", role: "campus", campus: "Site de Namur", language: "fr", email: "isabelle.lambert@tilleuls.example", pin: "7315",
        phones: [{ number: "081 22 33 44", label: "bureau" }, { number: "0477 20 30 40", label: "gsm" }],
      },
      {
        firstName: "Olivier", lastName: "Lejeune", role: "campus", campus: "Site de Liège", language: "fr", email: "olivier.lejeune@tilleuls.example", pin: "8264",
        phones: [{ number: "04 221 33 44", label: "bureau" }],
      },
      {
        firstName: "Nathalie", lastName: "Renard", role: "general", language: "fr", email: "nathalie.renard@tilleuls.example", pin: "9137",
        phones: [{ number: "0478 45 67 89", label: "gsm" }],
      },
      {
        firstName: "Klaus", lastName: "Weber", role: "technical", language: "de", email: "klaus.weber@tilleuls.example", pin: "1468",
        phones: [{ number: "0491 23 45 67", label: "Handy" }],
      },
    ],
  },
  {
    code: "EIFEL",
    name: "Seniorenzentrum Eifel VoG",
    supplierName: null,
    supplierEmail: null,
    campuses: [
      { name: "Haus Eupen", city: "Eupen" },
      { name: "Haus Sankt Vith", city: "Sankt Vith" },
    ],
    contract: { reference: "EF-2021-007", kind: "expired", slaPolicy: "Standaard (kantooruren)", products: ["ZORGDOSSIER", "PLANNING"] },
    persons: [
      {
        firstName: "Monika", lastName: "Schmitz", role: "campus", campus: "Haus Eupen", language: "de", email: "monika.schmitz@eifel.example", pin: "2791",
        phones: [{ number: "087 55 12 34", label: "Büro" }],
      },
      {
        firstName: "Jürgen", lastName: "Kessler", role: "campus", campus: "Haus Sankt Vith", language: "de", email: "juergen.kessler@eifel.example", pin: "3802",
        phones: [{ number: "080 22 98 76", label: "Büro" }],
      },
      {
        firstName: "Sabine", lastName: "Cremer", role: "general", language: "de", email: "sabine.cremer@eifel.example", pin: "4913",
        phones: [{ number: "0472 66 77 88", label: "Handy" }],
      },
      {
        firstName: "Luc", lastName: "Thomas", role: "technical", language: "fr", email: "luc.thomas@eifel.example", pin: "5024",
        phones: [{ number: "0495 33 22 11", label: "gsm" }],
      },
    ],
  },
  {
    code: "LEIESCHELDE",
    name: "Zorggroep Leie & Schelde vzw",
    supplierName: "Gentse Netwerken nv",
    supplierEmail: "servicedesk@gentse-netwerken.example",
    campuses: [
      { name: "Campus Gent-Zuid", city: "Gent" },
      { name: "Campus Deinze", city: "Deinze" },
    ],
    contract: { reference: "LS-2024-003", kind: "unpaid", slaPolicy: "Standaard (kantooruren)", products: ["ZORGDOSSIER", "MEDICATIE"] },
    // No technical contact designated: administration flags this customer (R3).
    persons: [
      {
        firstName: "Bart", lastName: "De Vos", role: "campus", campus: "Campus Gent-Zuid", language: "nl", email: "bart.devos@leieschelde.example", pin: "6135",
        phones: [{ number: "09 224 55 66", label: "bureau" }, { number: "0468 12 34 56", label: "gsm" }],
      },
      {
        firstName: "Griet", lastName: "Claeys", role: "campus", campus: "Campus Deinze", language: "nl", email: "griet.claeys@leieschelde.example", pin: "7246",
        phones: [{ number: "09 386 12 34", label: "bureau" }],
      },
      {
        firstName: "Sarah", lastName: "Thompson", role: "general", language: "en", email: "sarah.thompson@leieschelde.example", pin: "8357",
        phones: [{ number: "0497 87 65 43", label: "mobile" }],
      },
    ],
  },
];

/** Contract validity relative to the load day (YYYY-MM-DD): valid and unpaid ones span it, the expired one ended last year. */
export function contractTerms(kind: DemoContractKind, today: string): { validFrom: string; validTo: string; paid: boolean } {
  const year = Number(today.slice(0, 4));
  if (kind === "expired") return { validFrom: `${year - 4}-01-01`, validTo: `${year - 1}-12-31`, paid: true };
  return { validFrom: `${year - 1}-01-01`, validTo: `${year + 2}-12-31`, paid: kind === "valid" };
}
