import type { EntityManager } from "typeorm";
import { Contract } from "../../entities/Contract.js";

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

/** Loads the customer's contracts (with products and SLA policy) and applies checkEntitlement for `today`. */
export async function loadEntitlement(manager: EntityManager, customerId: number, productId: number | null, today: string) {
  const contracts = await manager.getRepository(Contract).find({
    where: { customerId },
    relations: { products: true, slaPolicy: true },
    order: { validTo: "DESC" },
  });
  return { ...checkEntitlement(contracts, productId, today), contracts };
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
