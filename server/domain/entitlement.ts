import type { EntityManager } from "typeorm";
import { Contract } from "../../entities/Contract.js";
import { Product } from "../../entities/Product.js";
import { SlaPolicy } from "../../entities/SlaPolicy.js";
import { leanColumns, leanHydrate, leanTable } from "../db/lean.js";
import { readOne, type Read } from "../db/reads.js";
import { callerPersonsCondition } from "./identification.js";

export type EntitlementReason = "entitled" | "no_contract" | "unpaid" | "expired" | "not_yet_valid" | "product_not_covered";

export interface EntitlementVerdict<C = Contract> {
  entitled: boolean;
  reason: EntitlementReason;
  /** The contract that entitles (or the closest one that does not), for SLA and display. */
  contract: C | null;
}

type ContractLike = Pick<Contract, "id" | "paid" | "validFrom" | "validTo"> & { products: { id: number }[] };

/**
 * R4: entitled when some contract is paid, valid on `today` (both ends inclusive) and covers the product.
 * With productId null, any paid valid contract entitles (the product is chosen later in the call).
 * When none entitles, the reason is that of the contract that came closest.
 */
export function checkEntitlement<C extends ContractLike>(contracts: C[], productId: number | null, today: string): EntitlementVerdict<C> {
  if (contracts.length === 0) return { entitled: false, reason: "no_contract", contract: null };
  const rank: Record<EntitlementReason, number> = { entitled: 0, product_not_covered: 1, unpaid: 2, expired: 3, not_yet_valid: 4, no_contract: 5 };
  let best: { reason: EntitlementReason; contract: C } | null = null;
  for (const contract of contracts) {
    const reason: EntitlementReason =
      today < contract.validFrom ? "not_yet_valid"
      : today > contract.validTo ? "expired"
      : !contract.paid ? "unpaid"
      : productId !== null && !contract.products.some((product) => product.id === productId) ? "product_not_covered"
      : "entitled";
    if (!best || rank[reason] < rank[best.reason]) best = { reason, contract };
  }
  return { entitled: best!.reason === "entitled", reason: best!.reason, contract: best!.contract };
}

/**
 * Contracts with their SLA policy and products, latest end first, then by id: one joined read (every call does it).
 * `from` may join the contracts (alias k) to rows that repeat them: each contract and product is kept once.
 */
function contractsWhere(manager: EntityManager, where: string, params: unknown[], from = `${leanTable(manager, Contract)} k`): Read<Contract[]> {
  const junction = manager.connection.getMetadata(Contract).findRelationWithPropertyPath("products")!.junctionEntityMetadata!;
  const escape = (name: string) => manager.connection.driver.escape(name);
  return {
    sql: `SELECT ${leanColumns(manager, Contract, "k")}, ${leanColumns(manager, SlaPolicy, "s")}, ${leanColumns(manager, Product, "pd")}
     FROM ${from}
     LEFT JOIN ${leanTable(manager, SlaPolicy)} s ON s.id = k.${escape("slaPolicyId")}
     LEFT JOIN ${escape(junction.tableName)} kp ON kp.${escape("contractId")} = k.id
     LEFT JOIN ${leanTable(manager, Product)} pd ON pd.id = kp.${escape("productId")}
     WHERE ${where}`,
    params,
    shape(rows) {
      const contracts = new Map<number, Contract>();
      for (const row of rows) {
        const id = Number(row.k__id);
        let contract = contracts.get(id);
        if (!contract) {
          contract = leanHydrate(manager, Contract, "k", row)!;
          contract.slaPolicy = leanHydrate(manager, SlaPolicy, "s", row)!;
          contract.products = [];
          contracts.set(id, contract);
        }
        const product = leanHydrate(manager, Product, "pd", row);
        if (product && !contract.products.some((known) => known.id === product.id)) contract.products.push(product);
      }
      // Ordered here, not in SQL: an ORDER BY over the joined rows would make MariaDB build a temporary table.
      for (const contract of contracts.values()) contract.products.sort((a, b) => a.id - b.id);
      return [...contracts.values()].sort((a, b) => (a.validTo < b.validTo ? 1 : a.validTo > b.validTo ? -1 : a.id - b.id));
    },
  };
}

/** The customer's contracts (see contractsWhere). */
export function contractsRead(manager: EntityManager, customerId: number): Read<Contract[]> {
  return contractsWhere(manager, `k.${manager.connection.driver.escape("customerId")} = ?`, [customerId]);
}

/**
 * The contracts of every customer a caller ID may belong to, by customer (one without contracts has no entry): read
 * with the persons themselves, so identifying the caller needs no read of its own. A join, not IN (subquery):
 * MariaDB would materialise the subquery for every call.
 */
export function callerContractsRead(manager: EntityManager, e164: string): Read<Map<number, Contract[]>> {
  const callers = callerPersonsCondition(manager);
  const customerId = manager.connection.driver.escape("customerId");
  const contracts = contractsWhere(manager, callers.where, callers.params(e164), `${callers.joins} INNER JOIN ${leanTable(manager, Contract)} k ON k.${customerId} = p.${customerId}`);
  return {
    ...contracts,
    shape(rows) {
      const byCustomer = new Map<number, Contract[]>();
      for (const contract of contracts.shape(rows)) {
        const ofCustomer = byCustomer.get(contract.customerId);
        if (ofCustomer) ofCustomer.push(contract);
        else byCustomer.set(contract.customerId, [contract]);
      }
      return byCustomer;
    },
  };
}

export function loadContracts(manager: EntityManager, customerId: number): Promise<Contract[]> {
  return readOne(manager, contractsRead(manager, customerId));
}

/** checkEntitlement's verdict with the contracts it was reached on. */
export function entitlementOf(contracts: Contract[], productId: number | null, today: string) {
  return { ...checkEntitlement(contracts, productId, today), contracts };
}

/** Loads the customer's contracts (with products and SLA policy) and applies checkEntitlement for `today`. */
export async function loadEntitlement(manager: EntityManager, customerId: number, productId: number | null, today: string) {
  return entitlementOf(await loadContracts(manager, customerId), productId, today);
}

/** Products covered today by the customer's paid, valid contracts (the IVR's product menu). */
export function coveredProducts<C extends ContractLike & { products: { id: number }[] }>(contracts: C[], today: string): C["products"] {
  const seen = new Map<number, C["products"][number]>();
  for (const contract of contracts) {
    if (contract.paid && contract.validFrom <= today && today <= contract.validTo) {
      for (const product of contract.products) seen.set(product.id, product);
    }
  }
  return [...seen.values()];
}
