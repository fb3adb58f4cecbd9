import type { EntityManager } from "typeorm";
import { Agent } from "../../../entities/Agent.js";
import { AgentSession } from "../../../entities/AgentSession.js";
import { BillableEntry } from "../../../entities/BillableEntry.js";
import { Call } from "../../../entities/Call.js";
import { CallbackRequest } from "../../../entities/CallbackRequest.js";
import { CostConsent } from "../../../entities/CostConsent.js";
import type { AgentRole, Language, UiLanguage } from "../../../entities/enums.js";
import { OnSiteRequest } from "../../../entities/OnSiteRequest.js";
import { RemoteSession } from "../../../entities/RemoteSession.js";
import { Ticket } from "../../../entities/Ticket.js";
import { assertStrongPassword } from "../../auth/password-strength.js";
import { hashPassword } from "../../auth/passwords.js";
import { conflict } from "../../errors/http-error.js";
import { inTransaction, type CommandContext } from "../transaction.js";
import { diffFields, writeAudit } from "./audit.js";
import { fetchPage, whereContains, type ListQuery } from "./listing.js";
import { countWhere, duplicate, findOr404, guardUnique, stillReferenced, valueTaken, type Actor } from "./records.js";

/** Editable fields of a desk account (the password has its own command). */
export interface AgentFields {
  email: string;
  name: string;
  role: AgentRole;
  languages: Language[];
  uiLanguage?: UiLanguage;
  phoneNumber?: string | null;
  active?: boolean;
}

const FIELDS = ["email", "name", "role", "languages", "uiLanguage", "phoneNumber", "active"] as const;
const duplicateEmail = (email: string) => duplicate("duplicate_email", "email", `An account with e-mail ${email} already exists.`);
const snapshot = (a: Agent) => ({ email: a.email, name: a.name, role: a.role, languages: a.languages, uiLanguage: a.uiLanguage, phoneNumber: a.phoneNumber, active: Boolean(a.active) });

/** Accounts matching the search (name or e-mail), optionally of one role. */
export async function listAgents(context: CommandContext, query: ListQuery & { role?: AgentRole }) {
  const qb = context.dataSource.getRepository(Agent).createQueryBuilder("agent").orderBy("agent.name", "ASC").addOrderBy("agent.id", "ASC");
  if (query.role !== undefined) qb.andWhere("agent.role = :role", { role: query.role });
  whereContains(qb, ["agent.name", "agent.email"], query.q);
  return fetchPage(qb, query);
}

/** Creates an account with a scrypt-hashed password. */
export async function agentCreator(context: CommandContext, props: Actor & { fields: AgentFields; password: string }): Promise<Agent> {
  const { fields } = props;
  assertStrongPassword(props.password, [fields.email, fields.name]);
  const passwordHash = await hashPassword(props.password);
  return guardUnique(
    () =>
      inTransaction(context, async (tx) => {
        if (await valueTaken(tx.manager, Agent, "email", fields.email)) throw duplicateEmail(fields.email);
        const repository = tx.manager.getRepository(Agent);
        const agent = await repository.save(
          repository.create({
            email: fields.email,
            name: fields.name,
            role: fields.role,
            languages: fields.languages,
            uiLanguage: fields.uiLanguage ?? "nl",
            phoneNumber: fields.phoneNumber ?? null,
            active: fields.active ?? true,
            passwordHash,
          }),
        );
        await writeAudit(tx.manager, { actorAgentId: props.actorId, entityType: "agent", entityId: agent.id, action: "create", changes: snapshot(agent) });
        await tx.record("agent.status", { agentId: agent.id });
        return agent;
      }),
    () => duplicateEmail(fields.email),
  );
}

/** Changes an account; the last active administrator cannot be demoted or deactivated. Deactivation ends its sessions. */
export async function agentUpdater(context: CommandContext, props: Actor & { id: number; fields: Partial<AgentFields> }): Promise<Agent> {
  const { fields } = props;
  return guardUnique(
    () =>
      inTransaction(context, async (tx) => {
        const agent = await findOr404(tx.manager, Agent, props.id, "Agent");
        const before = snapshot(agent);
        if (fields.email !== undefined && (await valueTaken(tx.manager, Agent, "email", fields.email, agent.id))) throw duplicateEmail(fields.email);
        for (const field of FIELDS) if (fields[field] !== undefined) (agent as unknown as Record<string, unknown>)[field] = fields[field];
        if (before.role === "admin" && before.active && (agent.role !== "admin" || !agent.active)) await keepOneAdmin(tx.manager, agent.id);
        const saved = await tx.manager.getRepository(Agent).save(agent);
        if (!saved.active) await tx.manager.getRepository(AgentSession).delete({ agentId: agent.id });
        const changes = diffFields(before, snapshot(saved), FIELDS);
        if (Object.keys(changes).length > 0) {
          await writeAudit(tx.manager, { actorAgentId: props.actorId, entityType: "agent", entityId: agent.id, action: "update", changes });
          await tx.record("agent.status", { agentId: agent.id });
        }
        return saved;
      }),
    () => duplicateEmail(fields.email ?? ""),
  );
}

/** Sets a new password; the account's other sessions end unless the admin changes their own. */
export async function passwordSetter(context: CommandContext, props: Actor & { id: number; password: string }): Promise<void> {
  const target = await findOr404(context.dataSource.manager, Agent, props.id, "Agent");
  assertStrongPassword(props.password, [target.email, target.name]);
  const passwordHash = await hashPassword(props.password);
  await inTransaction(context, async (tx) => {
    const agent = await findOr404(tx.manager, Agent, props.id, "Agent");
    await tx.manager.getRepository(Agent).update({ id: agent.id }, { passwordHash });
    if (agent.id !== props.actorId) await tx.manager.getRepository(AgentSession).delete({ agentId: agent.id });
    await writeAudit(tx.manager, { actorAgentId: props.actorId, entityType: "agent", entityId: agent.id, action: "password_set" });
  });
}

/** Deletes an account with no history; one that worked tickets or calls must be deactivated instead. */
export async function agentDeleter(context: CommandContext, props: Actor & { id: number }): Promise<void> {
  await inTransaction(context, async (tx) => {
    const agent = await findOr404(tx.manager, Agent, props.id, "Agent");
    if (agent.id === props.actorId) throw conflict("self_delete", "You cannot delete your own account.");
    const references = {
      tickets: await countWhere(tx.manager, Ticket, { assigneeId: agent.id }),
      calls: await countWhere(tx.manager, Call, { acceptedByAgentId: agent.id }),
      "callback requests": await countWhere(tx.manager, CallbackRequest, { agentId: agent.id }),
      "remote sessions": await countWhere(tx.manager, RemoteSession, { agentId: agent.id }),
      "on-site requests": (await countWhere(tx.manager, OnSiteRequest, { requestedByAgentId: agent.id })) + (await countWhere(tx.manager, OnSiteRequest, { decidedByAgentId: agent.id })),
      "cost consents": await countWhere(tx.manager, CostConsent, { requestedByAgentId: agent.id }),
      "billable entries": await countWhere(tx.manager, BillableEntry, { agentId: agent.id }),
    };
    if (Object.values(references).some((n) => n > 0)) throw stillReferenced(`Agent ${agent.email}`, references, "Deactivate the account instead.");
    if (agent.role === "admin" && agent.active) await keepOneAdmin(tx.manager, agent.id);
    await tx.manager.getRepository(Agent).delete({ id: agent.id });
    await writeAudit(tx.manager, { actorAgentId: props.actorId, entityType: "agent", entityId: agent.id, action: "delete", changes: snapshot(agent) });
  });
}

async function keepOneAdmin(manager: EntityManager, leavingId: number): Promise<void> {
  const others = await manager
    .getRepository(Agent)
    .createQueryBuilder("agent")
    .where("agent.role = :role", { role: "admin" })
    .andWhere("agent.active = :active", { active: true })
    .andWhere("agent.id <> :id", { id: leavingId })
    .getCount();
  if (others === 0) throw conflict("last_admin", "This is the last active administrator; appoint another one first.");
}
