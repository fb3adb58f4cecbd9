import type { EntityManager } from "typeorm";
import { AuditEntry } from "../../entities/AuditEntry.js";
import { Contract } from "../../entities/Contract.js";
import { Customer } from "../../entities/Customer.js";
import { Product } from "../../entities/Product.js";
import { SlaPolicy } from "../../entities/SlaPolicy.js";
import { forEachPage, insertAll, insertReturningIds } from "./batch-insert.js";
import { mapColumns, type CsvTable } from "./csv.js";
import { checkTable, type ImportProblem, type RowChecker } from "./report.js";
import { parseDay, parseYesNo, splitList } from "./values.js";

/** Columns of a contract file, with the header names accepted (English, Dutch, French). */
export const CONTRACT_COLUMNS = {
  reference: { names: ["reference", "referentie", "référence", "contract"], required: true },
  customer: { names: ["customer", "klant", "client", "customerCode"], required: true },
  validFrom: { names: ["validFrom", "geldigVan", "van", "début", "from"], required: true },
  validTo: { names: ["validTo", "geldigTot", "tot", "fin", "to"], required: true },
  paid: { names: ["paid", "betaald", "payé"], required: true },
  slaPolicy: { names: ["slaPolicy", "sla"], required: true },
  products: { names: ["products", "producten", "produits"], required: true },
};

/** A template file an administrator can fill in. */
export const CONTRACT_TEMPLATE = "reference;customer;validFrom;validTo;paid;slaPolicy;products\r\nC-2026-001;ZORG-A;01/01/2026;31/12/2026;ja;Standard;ZORGDOSSIER | PLANNING\r\n";

/** What the planner needs from the database, loaded once per import. */
export interface ContractLookups {
  customers: Map<string, number>;
  slaPolicies: Map<string, number>;
  products: Map<string, number>;
  references: Set<string>;
}

/** A validated row, ready to insert. */
export interface PlannedContract {
  row: number;
  reference: string;
  customerId: number;
  validFrom: string;
  validTo: string;
  paid: boolean;
  slaPolicyId: number;
  productIds: number[];
}

/** Loads customers, SLA policies, products and existing references into maps. */
export async function loadContractLookups(manager: EntityManager): Promise<ContractLookups> {
  const customers = await manager.getRepository(Customer).find({ select: { id: true, code: true } });
  const policies = await manager.getRepository(SlaPolicy).find({ select: { id: true, name: true } });
  const products = await manager.getRepository(Product).find({ select: { id: true, code: true } });
  const references = new Set<string>();
  await forEachPage(manager, Contract, { select: { reference: true } }, (page) => {
    for (const c of page) references.add(c.reference.toLowerCase());
  });
  return {
    customers: new Map(customers.map((c) => [c.code.toLowerCase(), c.id])),
    slaPolicies: new Map(policies.map((p) => [p.name.toLowerCase(), p.id])),
    products: new Map(products.map((p) => [p.code.toLowerCase(), p.id])),
    references,
  };
}

/** A checker of one row at a time (see personRowChecker); unknown or missing columns raise CsvFileError at once. */
export function contractRowChecker(fileHeader: string[], lookups: ContractLookups): RowChecker<PlannedContract> {
  const column = mapColumns(fileHeader, CONTRACT_COLUMNS);
  const header = (field: keyof typeof CONTRACT_COLUMNS) => fileHeader[column[field]!]!;
  const seen = new Map<string, number>();

  return ({ row, cells }) => {
    const cell = (field: keyof typeof CONTRACT_COLUMNS) => cells[column[field]!]!;
    const rowProblems: ImportProblem[] = [];
    const problem = (field: keyof typeof CONTRACT_COLUMNS | null, code: string, message: string) =>
      rowProblems.push({ row, field: field === null ? null : header(field), code, message });

    const reference = cell("reference");
    if (!reference) problem("reference", "required", "The contract reference is missing.");
    else if (reference.length > 60) problem("reference", "too_long", "At most 60 characters.");
    else if (lookups.references.has(reference.toLowerCase())) problem("reference", "duplicate_contract", `Contract "${reference}" already exists.`);
    else if (seen.has(reference.toLowerCase())) problem("reference", "duplicate_contract", `Contract "${reference}" is also on row ${seen.get(reference.toLowerCase())}.`);
    else seen.set(reference.toLowerCase(), row);

    const customerCode = cell("customer");
    const customerId = lookups.customers.get(customerCode.toLowerCase());
    if (!customerCode) problem("customer", "required", "The customer code is missing.");
    else if (customerId === undefined) problem("customer", "unknown_customer", `Unknown customer "${customerCode}".`);

    const validFrom = parseDay(cell("validFrom"));
    const validTo = parseDay(cell("validTo"));
    if (!validFrom) problem("validFrom", "invalid_date", `"${cell("validFrom")}" is not a date (31/12/2026 or 2026-12-31).`);
    if (!validTo) problem("validTo", "invalid_date", `"${cell("validTo")}" is not a date (31/12/2026 or 2026-12-31).`);
    if (validFrom && validTo && validTo < validFrom) problem("validTo", "dates_reversed", "The end date is before the start date.");

    const paid = parseYesNo(cell("paid"));
    if (paid === null) problem("paid", "invalid_yes_no", `"${cell("paid")}" is not yes or no (ja/nee, oui/non).`);

    const policyName = cell("slaPolicy");
    const slaPolicyId = lookups.slaPolicies.get(policyName.toLowerCase());
    if (slaPolicyId === undefined) problem("slaPolicy", "unknown_sla_policy", `Unknown SLA policy "${policyName}".`);

    const productIds: number[] = [];
    const codes = splitList(cell("products"));
    if (codes.length === 0) problem("products", "required", "List at least one product code.");
    for (const code of codes) {
      const id = lookups.products.get(code.toLowerCase());
      if (id === undefined) problem("products", "unknown_product", `Unknown product "${code}".`);
      else if (!productIds.includes(id)) productIds.push(id);
    }

    if (rowProblems.length > 0) return { problems: rowProblems, planned: null };
    return { problems: [], planned: { row, reference, customerId: customerId!, validFrom: validFrom!, validTo: validTo!, paid: paid!, slaPolicyId: slaPolicyId!, productIds } };
  };
}

/** Checks every row of a whole table; returns all problems and the rows that passed. */
export function planContractImport(table: CsvTable, lookups: ContractLookups): { problems: ImportProblem[]; contracts: PlannedContract[] } {
  const { problems, planned } = checkTable(table, contractRowChecker(table.header, lookups));
  return { problems, contracts: planned };
}

/** Writes one batch of planned contracts (at most BATCH_SIZE), their covered products and audit entries. */
export async function writeContractBatch(manager: EntityManager, contracts: PlannedContract[], audit: { actorAgentId: number; jobId: string }): Promise<{ created: number; coveredProducts: number }> {
  const ids = await insertReturningIds(
    manager,
    Contract,
    contracts.map((c) => ({ reference: c.reference, customerId: c.customerId, validFrom: c.validFrom, validTo: c.validTo, paid: c.paid, slaPolicyId: c.slaPolicyId })),
    "reference",
  );
  const links: Record<string, unknown>[] = [];
  const audits: Record<string, unknown>[] = [];
  contracts.forEach((contract, index) => {
    const contractId = ids[index]!;
    for (const productId of contract.productIds) links.push({ contractId, productId });
    audits.push({ actorAgentId: audit.actorAgentId, entityType: "contract", entityId: String(contractId), action: "import", changes: { importJobId: audit.jobId, row: contract.row } });
  });
  for (let i = 0; i < links.length; i += 1000) {
    await manager.createQueryBuilder().insert().into("contract_products", ["contractId", "productId"]).values(links.slice(i, i + 1000)).execute();
  }
  await insertAll(manager, AuditEntry, audits, 1000);
  return { created: contracts.length, coveredProducts: links.length };
}
