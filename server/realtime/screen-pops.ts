import { In, Not, type EntityManager } from "typeorm";
import { Agent } from "../../entities/Agent.js";
import { Call } from "../../entities/Call.js";
import { Ticket } from "../../entities/Ticket.js";
import type { AgentRef, ScreenPop } from "../../shared-types/console-payloads.js";
import type { ScreenPopCloseReason } from "../../shared-types/socket-events.js";
import { calendarOf } from "../commands/transaction.js";
import type { AppContext } from "../context.js";
import { coveredProducts, loadEntitlement } from "../domain/entitlement.js";
import { ivrChoices, presentScreenPop, type ScreenPopParts } from "../presenters/screen-pop.js";
import { addOffer, clearOffers, offeredAgents, replaceOffers } from "./pop-offers.js";
import { agentRoom, type RealtimeServer } from "./types.js";

/** A call older than this is no longer offered, even if its end was never reported. */
const MAX_POP_AGE_MS = 6 * 3600_000;
const OPEN_TICKETS_SHOWN = 10;
const RECENT_TICKETS_SHOWN = 5;

/** Who gets a call's pop: speakers of its language among available agents, or all available agents when none speaks it (R8). */
export function popTargets(call: Pick<Call, "language">, available: Pick<Agent, "id" | "languages">[]): { agentIds: number[]; offer: ScreenPop["offer"] } {
  if (!call.language) return { agentIds: available.map((agent) => agent.id), offer: "language" };
  const speakers = available.filter((agent) => (agent.languages ?? []).includes(call.language!));
  if (speakers.length > 0) return { agentIds: speakers.map((agent) => agent.id), offer: "language" };
  return { agentIds: available.map((agent) => agent.id), offer: "fallback" };
}

/** True while a call may still be offered: inbound, identified or queued, not accepted, not ended, recent. */
export function isPoppable(call: Call, now: Date): boolean {
  return (
    call.direction === "inbound" &&
    call.acceptedByAgentId === null &&
    call.endedAt === null &&
    (call.outcome === "queued" || (call.outcome === "in_ivr" && call.personId !== null)) &&
    now.getTime() - new Date(call.createdAt).getTime() < MAX_POP_AGE_MS
  );
}

/** Ids of the calls that wait for an agent right now, oldest first. */
export async function waitingCallIds(manager: EntityManager, now: Date): Promise<number[]> {
  const rows = await manager
    .getRepository(Call)
    .createQueryBuilder("call")
    .select(["call.id"])
    .where("call.acceptedByAgentId IS NULL")
    .andWhere("call.endedAt IS NULL")
    .andWhere("call.direction = :inbound", { inbound: "inbound" })
    .andWhere("(call.outcome = :queued OR (call.outcome = :inIvr AND call.personId IS NOT NULL))", { queued: "queued", inIvr: "in_ivr" })
    .andWhere("call.createdAt > :since", { since: new Date(now.getTime() - MAX_POP_AGE_MS) })
    .orderBy("call.createdAt", "ASC")
    .addOrderBy("call.id", "ASC")
    .getMany();
  return rows.map((row) => row.id);
}

/** Loads everything a pop shows about one call: caller, customer, contracts and SLA, products, tickets. */
export async function loadScreenPopParts(manager: EntityManager, callId: number, now: Date, context: Pick<AppContext, "calendar">): Promise<ScreenPopParts | null> {
  const call = await manager.getRepository(Call).findOne({
    where: { id: callId },
    relations: { person: { campus: true, phoneNumbers: true, customer: true }, customer: true, acceptedByAgent: true },
  });
  if (!call) return null;
  const today = calendarOf(context).localDate(now);
  const ticketRelations = { customer: true, product: true, assignee: true } as const;
  const ticket = call.ticketId ? await manager.getRepository(Ticket).findOne({ where: { id: call.ticketId }, relations: ticketRelations }) : null;
  const customerId = call.customerId ?? call.person?.customerId ?? ticket?.customerId ?? null;
  const parts: ScreenPopParts = { call, entitlement: null, contracts: [], coveredProducts: [], openTickets: [], recentTickets: [], ticket, today, now };
  if (customerId === null) return parts;

  const productId = ticket?.productId ?? ivrChoices(call.ivrState).productId;
  const verdict = await loadEntitlement(manager, customerId, productId, today);
  parts.entitlement = { entitled: verdict.entitled, reason: verdict.reason };
  parts.contracts = verdict.contracts;
  parts.coveredProducts = coveredProducts(verdict.contracts, today);
  const notThisTicket = ticket ? { id: Not(ticket.id) } : {};
  parts.openTickets = await manager.getRepository(Ticket).find({
    where: { customerId, status: Not(In(["resolved", "closed"])), ...notThisTicket },
    relations: ticketRelations,
    order: { createdAt: "DESC", id: "DESC" },
    take: OPEN_TICKETS_SHOWN,
  });
  parts.recentTickets = await manager.getRepository(Ticket).find({
    where: { customerId, status: In(["resolved", "closed"]), ...notThisTicket },
    relations: ticketRelations,
    order: { updatedAt: "DESC", id: "DESC" },
    take: RECENT_TICKETS_SHOWN,
  });
  return parts;
}

/**
 * Offers waiting calls to the agents who may take them. Who was offered a call is kept in Redis (pop-offers.ts)
 * so an accept can check it and a changed target list can withdraw pops that no longer apply.
 */
export class ScreenPopService {
  constructor(private readonly io: RealtimeServer, private readonly context: AppContext) {}

  private async availableAgents(): Promise<Agent[]> {
    return this.context.dataSource.getRepository(Agent).find({ where: { status: "available", active: true }, select: { id: true, languages: true } });
  }

  /** Re-offers one call: pop (or update) for its current targets, withdraw from agents no longer targeted, close when done. */
  async refresh(callId: number, now = new Date(), available?: Agent[]): Promise<void> {
    const parts = await loadScreenPopParts(this.context.dataSource.manager, callId, now, this.context);
    if (!parts) return;
    if (!isPoppable(parts.call, now)) {
      if (parts.call.acceptedByAgentId === null) await this.close(callId, "ended", null);
      return;
    }
    const { agentIds, offer } = popTargets(parts.call, available ?? (await this.availableAgents()));
    const previous = await offeredAgents(this.context, callId);
    const withdrawn = previous.filter((id) => !agentIds.includes(id));
    await replaceOffers(this.context, callId, agentIds);
    if (withdrawn.length > 0) this.io.to(withdrawn.map(agentRoom)).emit("screenpop:close", { callId, reason: "withdrawn", acceptedBy: null });
    if (agentIds.length > 0) this.io.to(agentIds.map(agentRoom)).emit("screenpop:show", presentScreenPop(parts, offer));
  }

  /** Re-offers every waiting call (an agent's status or languages changed). */
  async refreshAll(now = new Date()): Promise<void> {
    const ids = await waitingCallIds(this.context.dataSource.manager, now);
    if (ids.length === 0) return;
    const available = await this.availableAgents();
    for (const id of ids) await this.refresh(id, now, available);
  }

  /** The pops one agent should see now; records them as offered (a connecting agent gets them at once). */
  async popsFor(agentId: number, now = new Date()): Promise<ScreenPop[]> {
    const agent = await this.context.dataSource.getRepository(Agent).findOneBy({ id: agentId, active: true });
    if (!agent || agent.status !== "available") return [];
    const ids = await waitingCallIds(this.context.dataSource.manager, now);
    if (ids.length === 0) return [];
    const available = await this.availableAgents();
    const pops: ScreenPop[] = [];
    for (const id of ids) {
      const parts = await loadScreenPopParts(this.context.dataSource.manager, id, now, this.context);
      if (!parts || !isPoppable(parts.call, now)) continue;
      const { agentIds, offer } = popTargets(parts.call, available);
      if (!agentIds.includes(agentId)) continue;
      await addOffer(this.context, id, agentId);
      pops.push(presentScreenPop(parts, offer));
    }
    return pops;
  }

  /**
   * Closes a call's pop everywhere. Sent to every socket rather than to the recorded targets, so a pop whose
   * record expired still closes; clients ignore calls they do not show.
   */
  async close(callId: number, reason: ScreenPopCloseReason, acceptedBy: AgentRef | null): Promise<void> {
    this.io.emit("screenpop:close", { callId, reason, acceptedBy });
    await clearOffers(this.context, callId);
  }
}
