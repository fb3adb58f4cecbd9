import { In, type EntityManager } from "typeorm";
import { Contract } from "../../../entities/Contract.js";
import { Customer } from "../../../entities/Customer.js";
import { Product } from "../../../entities/Product.js";
import { SlaPolicy } from "../../../entities/SlaPolicy.js";
import { inTransaction, type CommandContext } from "../transaction.js";
import { diffFields, writeAudit } from "./audit.js";
import { fetchPage, whereContains, type ListQuery } from "./listing.js";
import { duplicate, findOr404, guardUnique, invalidField, unknownReference, valueTaken, type Actor } from "./records.js";

/** Editable fields of a maintenance contract (R4). */
export interface ContractFields {
  reference: string;
  validFrom: string;
  validTo: string;
  paid?: boolean;
  slaPolicyId: number;
  productIds: number[];
}

const FIELDS = ["reference", "validFrom", "validTo", "paid", "slaPolicyId", "productIds"] as const;
const duplicateReference = (reference: string) => duplicate("duplicate_reference", "reference", `A contract with reference "${reference}" already exists.`);
const snapshot = (c: Contract) => ({
  reference: c.reference,
  validFrom: c.validFrom,
  validTo: c.validTo,
  paid: Boolean(c.paid),
  slaPolicyId: c.slaPolicyId,
  productIds: (c.products ?? []).map((p) => p.id).sort((a, b) => a - b),
});

/** Contracts matching the search (reference, customer), optionally of one customer or by paid status. */
export async function listContracts(context: CommandContext, query: ListQuery & { customerId?: number; paid?: boolean }) {
  const qb = context.dataSource
    .getRepository(Contract)
    .createQueryBuilder("contract")
    .innerJoinAndSelect("contract.customer", "customer")
    .leftJoinAndSelect("contract.slaPolicy", "slaPolicy")
    .orderBy("customer.name", "ASC")
    .addOrderBy("contract.validTo", "DESC")
    .addOrderBy("contract.id", "ASC");
  if (query.customerId !== undefined) qb.andWhere("contract.customerId = :customerId", { customerId: query.customerId });
  if (query.paid !== undefined) qb.andWhere("contract.paid = :paid", { paid: query.paid });
  whereContains(qb, ["contract.reference", "customer.name", "customer.code"], query.q);
  const page = await fetchPage(qb, query);
  await attachProducts(context.dataSource.manager, page.rows);
  return page;
}

/** One contract with customer, SLA policy and products, or 404. */
export async function loadContract(manager: EntityManager, id: number): Promise<Contract> {
  return findOr404(manager, Contract, id, "Contract", { customer: true, slaPolicy: true, products: true });
}

/** Creates a contract for a customer covering the given products. */
export async function contractCreator(context: CommandContext, props: Actor & { customerId: number; fields: ContractFields }): Promise<Contract> {
  const { fields } = props;
  const id = await guardUnique(
    () =>
      inTransaction(context, async (tx) => {
        const customer = await tx.manager.getRepository(Customer).findOneBy({ id: props.customerId });
        if (!customer) throw unknownReference("customerId", `There is no customer ${props.customerId}.`);
        if (await valueTaken(tx.manager, Contract, "reference", fields.reference)) throw duplicateReference(fields.reference);
        const products = await checkReferences(tx.manager, fields);
        const repository = tx.manager.getRepository(Contract);
        const contract = await repository.save(
          repository.create({ reference: fields.reference, customerId: customer.id, validFrom: fields.validFrom, validTo: fields.validTo, paid: fields.paid ?? false, slaPolicyId: fields.slaPolicyId, products }),
        );
        await writeAudit(tx.manager, { actorAgentId: props.actorId, entityType: "contract", entityId: contract.id, action: "create", changes: { customerId: customer.id, ...snapshot(contract) } });
        return contract.id;
      }),
    () => duplicateReference(fields.reference),
  );
  return loadContract(context.dataSource.manager, id);
}

/** Changes a contract; `productIds`, when given, replaces the covered products. */
export async function contractUpdater(context: CommandContext, props: Actor & { id: number; fields: Partial<ContractFields> }): Promise<Contract> {
  const { fields } = props;
  await guardUnique(
    () =>
      inTransaction(context, async (tx) => {
        const contract = await loadContract(tx.manager, props.id);
        const before = snapshot(contract);
        if (fields.reference !== undefined && (await valueTaken(tx.manager, Contract, "reference", fields.reference, contract.id))) throw duplicateReference(fields.reference);
        const next = {
          reference: fields.reference ?? contract.reference,
          validFrom: fields.validFrom ?? contract.validFrom,
          validTo: fields.validTo ?? contract.validTo,
          paid: fields.paid ?? Boolean(contract.paid),
          slaPolicyId: fields.slaPolicyId ?? contract.slaPolicyId,
          productIds: fields.productIds ?? before.productIds,
        };
        const products = await checkReferences(tx.manager, next);
        Object.assign(contract, { reference: next.reference, validFrom: next.validFrom, validTo: next.validTo, paid: next.paid, slaPolicyId: next.slaPolicyId, products });
        contract.slaPolicy = undefined as never;
        const saved = await tx.manager.getRepository(Contract).save(contract);
        const changes = diffFields(before, snapshot(saved), FIELDS);
        if (Object.keys(changes).length > 0) await writeAudit(tx.manager, { actorAgentId: props.actorId, entityType: "contract", entityId: contract.id, action: "update", changes });
      }),
    () => duplicateReference(fields.reference ?? ""),
  );
  return loadContract(context.dataSource.manager, props.id);
}

/** Deletes a contract (tickets keep their own entitlement verdict and SLA due times). */
export async function contractDeleter(context: CommandContext, props: Actor & { id: number }): Promise<void> {
  await inTransaction(context, async (tx) => {
    const contract = await loadContract(tx.manager, props.id);
    await tx.manager.getRepository(Contract).delete({ id: contract.id });
    await writeAudit(tx.manager, { actorAgentId: props.actorId, entityType: "contract", entityId: contract.id, action: "delete", changes: { customerId: contract.customerId, ...snapshot(contract) } });
  });
}

async function checkReferences(manager: EntityManager, fields: Pick<ContractFields, "validFrom" | "validTo" | "slaPolicyId" | "productIds">): Promise<Product[]> {
  if (fields.validTo < fields.validFrom) throw invalidField("validTo", "must not be before validFrom");
  if (!(await manager.getRepository(SlaPolicy).existsBy({ id: fields.slaPolicyId }))) throw unknownReference("slaPolicyId", `There is no SLA policy ${fields.slaPolicyId}.`);
  const products = fields.productIds.length ? await manager.getRepository(Product).findBy({ id: In(fields.productIds) }) : [];
  const missing = fields.productIds.filter((id) => !products.some((p) => p.id === id));
  if (missing.length) throw unknownReference("productIds", `There is no product ${missing.join(", ")}.`);
  return products;
}

async function attachProducts(manager: EntityManager, contracts: Contract[]): Promise<void> {
  if (contracts.length === 0) return;
  const rows = (await manager
    .createQueryBuilder()
    .select(["cp.contractId AS contractId", "p.id AS id", "p.code AS code", "p.name AS name"])
    .from("contract_products", "cp")
    .innerJoin(Product, "p", "p.id = cp.productId")
    .where("cp.contractId IN (:...ids)", { ids: contracts.map((c) => c.id) })
    .getRawMany()) as { contractId: number; id: number; code: string; name: string }[];
  for (const contract of contracts) {
    contract.products = rows.filter((r) => Number(r.contractId) === contract.id).map((r) => Object.assign(new Product(), { id: Number(r.id), code: r.code, name: r.name }));
  }
}
