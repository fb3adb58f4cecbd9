import { Call } from "../../../entities/Call.js";
import { Campus } from "../../../entities/Campus.js";
import { Contract } from "../../../entities/Contract.js";
import { Customer } from "../../../entities/Customer.js";
import { ReferencePerson } from "../../../entities/ReferencePerson.js";
import { Ticket } from "../../../entities/Ticket.js";
import { inTransaction, type CommandContext } from "../transaction.js";
import { diffFields, writeAudit } from "./audit.js";
import { fetchPage, whereContains, type ListQuery } from "./listing.js";
import { countWhere, duplicate, findOr404, guardUnique, stillReferenced, valueTaken, type Actor } from "./records.js";

/** Editable fields of a customer. */
export interface CustomerFields {
  code: string;
  name: string;
  supplierName?: string | null;
  supplierEmail?: string | null;
}

const FIELDS = ["code", "name", "supplierName", "supplierEmail"] as const;
const duplicateCode = (code: string) => duplicate("duplicate_code", "code", `A customer with code "${code}" already exists.`);

/** Customers matching the search (code or name), by name. */
export async function listCustomers(context: CommandContext, query: ListQuery) {
  const qb = context.dataSource.getRepository(Customer).createQueryBuilder("customer").orderBy("customer.name", "ASC").addOrderBy("customer.id", "ASC");
  whereContains(qb, ["customer.code", "customer.name"], query.q);
  return fetchPage(qb, query);
}

/** Creates a customer with a unique code (case-insensitive) and audits it. */
export async function customerCreator(context: CommandContext, props: Actor & { fields: CustomerFields }): Promise<Customer> {
  const { fields } = props;
  return guardUnique(
    () =>
      inTransaction(context, async (tx) => {
        const repository = tx.manager.getRepository(Customer);
        if (await valueTaken(tx.manager, Customer, "code", fields.code)) throw duplicateCode(fields.code);
        const customer = await repository.save(
          repository.create({ code: fields.code, name: fields.name, supplierName: fields.supplierName ?? null, supplierEmail: fields.supplierEmail ?? null }),
        );
        await writeAudit(tx.manager, { actorAgentId: props.actorId, entityType: "customer", entityId: customer.id, action: "create", changes: pick(customer) });
        return customer;
      }),
    () => duplicateCode(fields.code),
  );
}

/** Changes a customer's fields; a code already used by another customer is a 409. */
export async function customerUpdater(context: CommandContext, props: Actor & { id: number; fields: Partial<CustomerFields> }): Promise<Customer> {
  const { fields } = props;
  return guardUnique(
    () =>
      inTransaction(context, async (tx) => {
        const repository = tx.manager.getRepository(Customer);
        const customer = await findOr404(tx.manager, Customer, props.id, "Customer");
        const before = pick(customer);
        if (fields.code !== undefined && fields.code.toLowerCase() !== customer.code.toLowerCase() && (await valueTaken(tx.manager, Customer, "code", fields.code, customer.id))) {
          throw duplicateCode(fields.code);
        }
        for (const field of FIELDS) if (fields[field] !== undefined) (customer as unknown as Record<string, unknown>)[field] = fields[field];
        const saved = await repository.save(customer);
        const changes = diffFields(before, pick(saved), FIELDS);
        if (Object.keys(changes).length > 0) await writeAudit(tx.manager, { actorAgentId: props.actorId, entityType: "customer", entityId: customer.id, action: "update", changes });
        return saved;
      }),
    () => duplicateCode(fields.code ?? ""),
  );
}

/** Deletes a customer that nothing refers to; campuses, persons, contracts, tickets or calls make it a 409. */
export async function customerDeleter(context: CommandContext, props: Actor & { id: number }): Promise<void> {
  await inTransaction(context, async (tx) => {
    const customer = await findOr404(tx.manager, Customer, props.id, "Customer");
    const references = {
      campuses: await countWhere(tx.manager, Campus, { customerId: customer.id }),
      "reference persons": await countWhere(tx.manager, ReferencePerson, { customerId: customer.id }),
      contracts: await countWhere(tx.manager, Contract, { customerId: customer.id }),
      tickets: await countWhere(tx.manager, Ticket, { customerId: customer.id }),
      calls: await countWhere(tx.manager, Call, { customerId: customer.id }),
    };
    if (Object.values(references).some((count) => count > 0)) throw stillReferenced(`Customer ${customer.code}`, references);
    await tx.manager.getRepository(Customer).delete({ id: customer.id });
    await writeAudit(tx.manager, { actorAgentId: props.actorId, entityType: "customer", entityId: customer.id, action: "delete", changes: pick(customer) });
  });
}

function pick(customer: Customer) {
  return { code: customer.code, name: customer.name, supplierName: customer.supplierName, supplierEmail: customer.supplierEmail };
}

