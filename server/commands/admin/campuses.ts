import { Campus } from "../../../entities/Campus.js";
import { Customer } from "../../../entities/Customer.js";
import { ReferencePerson } from "../../../entities/ReferencePerson.js";
import { Ticket } from "../../../entities/Ticket.js";
import { inTransaction, type CommandContext } from "../transaction.js";
import { diffFields, writeAudit } from "./audit.js";
import { fetchPage, whereContains, type ListQuery } from "./listing.js";
import { countWhere, duplicate, findOr404, guardUnique, stillReferenced, unknownReference, valueTaken, type Actor } from "./records.js";

/** Editable fields of a campus; the customer is fixed at creation. */
export interface CampusFields {
  name: string;
  city?: string | null;
}

const duplicateName = (name: string) => duplicate("duplicate_campus", "name", `This customer already has a campus named "${name}".`);

/** Campuses matching the search (name, city, customer), optionally of one customer. */
export async function listCampuses(context: CommandContext, query: ListQuery & { customerId?: number }) {
  const qb = context.dataSource
    .getRepository(Campus)
    .createQueryBuilder("campus")
    .innerJoinAndSelect("campus.customer", "customer")
    .orderBy("customer.name", "ASC")
    .addOrderBy("campus.name", "ASC")
    .addOrderBy("campus.id", "ASC");
  if (query.customerId !== undefined) qb.andWhere("campus.customerId = :customerId", { customerId: query.customerId });
  whereContains(qb, ["campus.name", "campus.city", "customer.name", "customer.code"], query.q);
  return fetchPage(qb, query);
}

/** Creates a campus of a customer; its name is unique within the customer. */
export async function campusCreator(context: CommandContext, props: Actor & { customerId: number; fields: CampusFields }): Promise<Campus> {
  const { fields } = props;
  return guardUnique(
    () =>
      inTransaction(context, async (tx) => {
        const customer = await tx.manager.getRepository(Customer).findOneBy({ id: props.customerId });
        if (!customer) throw unknownReference("customerId", `There is no customer ${props.customerId}.`);
        if (await valueTaken(tx.manager, Campus, "name", fields.name, undefined, { customerId: customer.id })) throw duplicateName(fields.name);
        const repository = tx.manager.getRepository(Campus);
        const campus = await repository.save(repository.create({ customerId: customer.id, name: fields.name, city: fields.city ?? null }));
        campus.customer = customer;
        await writeAudit(tx.manager, { actorAgentId: props.actorId, entityType: "campus", entityId: campus.id, action: "create", changes: { customerId: customer.id, name: campus.name, city: campus.city } });
        return campus;
      }),
    () => duplicateName(fields.name),
  );
}

/** Renames or relocates a campus. */
export async function campusUpdater(context: CommandContext, props: Actor & { id: number; fields: Partial<CampusFields> }): Promise<Campus> {
  const { fields } = props;
  return guardUnique(
    () =>
      inTransaction(context, async (tx) => {
        const campus = await findOr404(tx.manager, Campus, props.id, "Campus", { customer: true });
        const before = { name: campus.name, city: campus.city };
        if (fields.name !== undefined && (await valueTaken(tx.manager, Campus, "name", fields.name, campus.id, { customerId: campus.customerId }))) throw duplicateName(fields.name);
        if (fields.name !== undefined) campus.name = fields.name;
        if (fields.city !== undefined) campus.city = fields.city;
        await tx.manager.getRepository(Campus).update({ id: campus.id }, { name: campus.name, city: campus.city });
        const changes = diffFields(before, { name: campus.name, city: campus.city }, ["name", "city"]);
        if (Object.keys(changes).length > 0) await writeAudit(tx.manager, { actorAgentId: props.actorId, entityType: "campus", entityId: campus.id, action: "update", changes });
        return campus;
      }),
    () => duplicateName(fields.name ?? ""),
  );
}

/** Deletes a campus no reference person or ticket refers to. */
export async function campusDeleter(context: CommandContext, props: Actor & { id: number }): Promise<void> {
  await inTransaction(context, async (tx) => {
    const campus = await findOr404(tx.manager, Campus, props.id, "Campus");
    const references = {
      "reference persons": await countWhere(tx.manager, ReferencePerson, { campusId: campus.id }),
      tickets: await countWhere(tx.manager, Ticket, { campusId: campus.id }),
    };
    if (Object.values(references).some((count) => count > 0)) throw stillReferenced(`Campus ${campus.name}`, references);
    await tx.manager.getRepository(Campus).delete({ id: campus.id });
    await writeAudit(tx.manager, { actorAgentId: props.actorId, entityType: "campus", entityId: campus.id, action: "delete", changes: { customerId: campus.customerId, name: campus.name, city: campus.city } });
  });
}
