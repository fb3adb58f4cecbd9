import { Contract } from "../../../entities/Contract.js";
import type { Priority } from "../../../entities/enums.js";
import { SlaPolicy, type SlaTarget } from "../../../entities/SlaPolicy.js";
import { Ticket } from "../../../entities/Ticket.js";
import { inTransaction, type CommandContext } from "../transaction.js";
import { diffFields, writeAudit } from "./audit.js";
import { fetchPage, whereContains, type ListQuery } from "./listing.js";
import { countWhere, duplicate, findOr404, guardUnique, stillReferenced, valueTaken, type Actor } from "./records.js";

/** Editable fields of an SLA policy (R9). */
export interface SlaPolicyFields {
  name: string;
  twentyFourSeven?: boolean;
  targets: Record<Priority, SlaTarget>;
}

const FIELDS = ["name", "twentyFourSeven", "targets"] as const;
const duplicateName = (name: string) => duplicate("duplicate_name", "name", `An SLA policy named "${name}" already exists.`);
const snapshot = (p: SlaPolicy) => ({ name: p.name, twentyFourSeven: Boolean(p.twentyFourSeven), targets: p.targets });

/** SLA policies matching the search (name), by name. */
export async function listSlaPolicies(context: CommandContext, query: ListQuery) {
  const qb = context.dataSource.getRepository(SlaPolicy).createQueryBuilder("policy").orderBy("policy.name", "ASC").addOrderBy("policy.id", "ASC");
  whereContains(qb, ["policy.name"], query.q);
  return fetchPage(qb, query);
}

/** Creates an SLA policy with a unique name. */
export async function slaPolicyCreator(context: CommandContext, props: Actor & { fields: SlaPolicyFields }): Promise<SlaPolicy> {
  const { fields } = props;
  return guardUnique(
    () =>
      inTransaction(context, async (tx) => {
        if (await valueTaken(tx.manager, SlaPolicy, "name", fields.name)) throw duplicateName(fields.name);
        const repository = tx.manager.getRepository(SlaPolicy);
        const policy = await repository.save(repository.create({ name: fields.name, twentyFourSeven: fields.twentyFourSeven ?? false, targets: fields.targets }));
        await writeAudit(tx.manager, { actorAgentId: props.actorId, entityType: "sla_policy", entityId: policy.id, action: "create", changes: snapshot(policy) });
        return policy;
      }),
    () => duplicateName(fields.name),
  );
}

/** Changes an SLA policy; new targets apply to tickets created from now on. */
export async function slaPolicyUpdater(context: CommandContext, props: Actor & { id: number; fields: Partial<SlaPolicyFields> }): Promise<SlaPolicy> {
  const { fields } = props;
  return guardUnique(
    () =>
      inTransaction(context, async (tx) => {
        const policy = await findOr404(tx.manager, SlaPolicy, props.id, "SLA policy");
        const before = snapshot(policy);
        if (fields.name !== undefined && (await valueTaken(tx.manager, SlaPolicy, "name", fields.name, policy.id))) throw duplicateName(fields.name);
        for (const field of FIELDS) if (fields[field] !== undefined) (policy as unknown as Record<string, unknown>)[field] = fields[field];
        const saved = await tx.manager.getRepository(SlaPolicy).save(policy);
        const changes = diffFields(before, snapshot(saved), FIELDS);
        if (Object.keys(changes).length > 0) await writeAudit(tx.manager, { actorAgentId: props.actorId, entityType: "sla_policy", entityId: policy.id, action: "update", changes });
        return saved;
      }),
    () => duplicateName(fields.name ?? ""),
  );
}

/** Deletes a policy no contract or ticket uses (tickets keep computing due times from it). */
export async function slaPolicyDeleter(context: CommandContext, props: Actor & { id: number }): Promise<void> {
  await inTransaction(context, async (tx) => {
    const policy = await findOr404(tx.manager, SlaPolicy, props.id, "SLA policy");
    const references = {
      contracts: await countWhere(tx.manager, Contract, { slaPolicyId: policy.id }),
      tickets: await countWhere(tx.manager, Ticket, { slaPolicyId: policy.id }),
    };
    if (Object.values(references).some((n) => n > 0)) throw stillReferenced(`SLA policy ${policy.name}`, references);
    await tx.manager.getRepository(SlaPolicy).delete({ id: policy.id });
    await writeAudit(tx.manager, { actorAgentId: props.actorId, entityType: "sla_policy", entityId: policy.id, action: "delete", changes: snapshot(policy) });
  });
}
