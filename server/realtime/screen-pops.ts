import type { EntityManager } from "typeorm";
import { Agent } from "../../entities/Agent.js";
import { Call } from "../../entities/Call.js";
import { Ticket } from "../../entities/Ticket.js";
import type { AgentRef, ScreenPop } from "../../shared-types/console-payloads.js";
import type { ScreenPopCloseReason } from "../../shared-types/socket-events.js";
import { calendarOf } from "../commands/transaction.js";
import type { AppContext } from "../context.js";
import { coveredProducts, loadEntitlement } from "../domain/entitlement.js";
import { availableAgents, offerTargets } from "../domain/offer-targets.js";
import { ivrChoices, presentScreenPop, type ScreenPopParts } from "../presenters/screen-pop.js";
import { addOffer, clearOffers, isClosed, markClosed, offeredAgents, replaceOffers } from "./pop-offers.js";
import { agentRoom, type RealtimeServer } from "./types.js";

/** A call older than this is no longer offered, even if its end was never reported. */
const MAX_POP_AGE_MS = 6 * 3600_000;
const OPEN_TICKETS_SHOWN = 10;
const RECENT_TICKETS_SHOWN = 5;

/** Who gets a call's pop: speakers of its language among available agents, or all available agents when none speaks it (R8). */
export function popTargets(call: Pick<Call, "language">, available: Pick<Agent, "id" | "languages">[]): { agentIds: number[]; offer: ScreenPop["offer"] } {
  const { agents, offer } = offerTargets(call.language, available);
  return { agentIds: agents.map((agent) => agent.id), offer };
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

/** Tickets with what a pop shows of them (customer, product, assignee: to-one joins, so LIMIT counts tickets). */
function ticketsWithParties(manager: EntityManager) {
  return manager
    .getRepository(Ticket)
    .createQueryBuilder("ticket")
    .leftJoin("ticket.customer", "customer")
    .leftJoin("ticket.product", "product")
    .leftJoin("ticket.assignee", "assignee")
    // Only what the pop shows of them: fewer columns to read and to turn into entities on every step of every call.
    .addSelect(["customer.id", "customer.code", "customer.name", "product.id", "product.code", "product.name", "assignee.id", "assignee.name"]);
}

/** A call with the caller (campus, numbers, customer), its customer and the agent who took it. */
export function loadPopCall(manager: EntityManager, callId: number): Promise<Call | null> {
  return manager
    .getRepository(Call)
    .createQueryBuilder("call")
    .leftJoinAndSelect("call.person", "person")
    .leftJoinAndSelect("person.campus", "campus")
    .leftJoinAndSelect("person.phoneNumbers", "phoneNumbers")
    .leftJoin("person.customer", "personCustomer")
    .leftJoin("call.customer", "callCustomer")
    .leftJoin("call.acceptedByAgent", "acceptedByAgent")
    .addSelect(["personCustomer.id", "personCustomer.code", "personCustomer.name", "callCustomer.id", "callCustomer.code", "callCustomer.name", "acceptedByAgent.id", "acceptedByAgent.name"])
    .where("call.id = :callId", { callId })
    .getOne();
}

/** The rest of what a pop shows about a loaded call: its ticket, the customer's contracts, products and tickets. */
export async function completeScreenPopParts(manager: EntityManager, call: Call, now: Date, context: Pick<AppContext, "calendar">): Promise<ScreenPopParts> {
  const today = calendarOf(context).localDate(now);
  const ticket = call.ticketId ? await ticketsWithParties(manager).where("ticket.id = :ticketId", { ticketId: call.ticketId }).getOne() : null;
  const customerId = call.customerId ?? call.person?.customerId ?? ticket?.customerId ?? null;
  const parts: ScreenPopParts = { call, entitlement: null, contracts: [], coveredProducts: [], openTickets: [], recentTickets: [], ticket: ticket ?? null, today, now };
  if (customerId === null) return parts;

  const productId = ticket?.productId ?? ivrChoices(call.ivrState).productId;
  const verdict = await loadEntitlement(manager, customerId, productId, today);
  parts.entitlement = { entitled: verdict.entitled, reason: verdict.reason };
  parts.contracts = verdict.contracts;
  parts.coveredProducts = coveredProducts(verdict.contracts, today);
  const closed = ["resolved", "closed"];
  const others = (open: boolean) => {
    const query = ticketsWithParties(manager)
      .where("ticket.customerId = :customerId", { customerId })
      .andWhere(open ? "ticket.status NOT IN (:...closed)" : "ticket.status IN (:...closed)", { closed });
    return ticket ? query.andWhere("ticket.id <> :ticketId", { ticketId: ticket.id }) : query;
  };
  [parts.openTickets, parts.recentTickets] = await Promise.all([
    others(true).orderBy("ticket.createdAt", "DESC").addOrderBy("ticket.id", "DESC").limit(OPEN_TICKETS_SHOWN).getMany(),
    others(false).orderBy("ticket.updatedAt", "DESC").addOrderBy("ticket.id", "DESC").limit(RECENT_TICKETS_SHOWN).getMany(),
  ]);
  return parts;
}

/**
 * Offers waiting calls to the agents who may take them. Who was offered a call is kept in Redis (pop-offers.ts)
 * so an accept can check it and a changed target list can withdraw pops that no longer apply.
 */
export class ScreenPopService {
  constructor(private readonly io: RealtimeServer, private readonly context: AppContext) {}

  /** Re-offers one call: pop (or update) for its current targets, withdraw from agents no longer targeted, close when done. */
  async refresh(callId: number, now = new Date(), available?: Pick<Agent, "id" | "languages">[]): Promise<void> {
    const manager = this.context.dataSource.manager;
    const call = await loadPopCall(manager, callId);
    if (!call) return;
    // Decided on the call alone: a call no longer offered needs none of the rest of the pop.
    if (!isPoppable(call, now)) {
      if (call.acceptedByAgentId === null) await this.close(callId, "ended", null);
      return;
    }
    const { agentIds, offer } = popTargets(call, available ?? (await availableAgents(this.context.dataSource.manager)));
    const previous = await offeredAgents(this.context, callId);
    const withdrawn = previous.filter((id) => !agentIds.includes(id));
    await replaceOffers(this.context, callId, agentIds);
    if (withdrawn.length > 0) this.io.to(withdrawn.map(agentRoom)).emit("screenpop:close", { callId, reason: "withdrawn", acceptedBy: null });
    if (agentIds.length === 0) return;
    const parts = await completeScreenPopParts(manager, call, now, this.context);
    // The call may have been taken or ended while this pop was built from the state read above (deliveries run in
    // parallel): close() marks it before sending, so a pop built too late is dropped here. On one instance Redis
    // answers this check and that mark in order, so a show that does go out precedes the close.
    if (await isClosed(this.context, callId)) return;
    this.io.to(agentIds.map(agentRoom)).emit("screenpop:show", presentScreenPop(parts, offer));
  }

  /** Re-offers every waiting call (an agent's status or languages changed). */
  async refreshAll(now = new Date()): Promise<void> {
    const ids = await waitingCallIds(this.context.dataSource.manager, now);
    if (ids.length === 0) return;
    const available = await availableAgents(this.context.dataSource.manager);
    for (const id of ids) await this.refresh(id, now, available);
  }

  /** The pops one agent should see now; records them as offered (a connecting agent gets them at once). */
  async popsFor(agentId: number, now = new Date()): Promise<ScreenPop[]> {
    const agent = await this.context.dataSource.getRepository(Agent).findOneBy({ id: agentId, active: true });
    if (!agent || agent.status !== "available") return [];
    const ids = await waitingCallIds(this.context.dataSource.manager, now);
    if (ids.length === 0) return [];
    const available = await availableAgents(this.context.dataSource.manager);
    const pops: ScreenPop[] = [];
    for (const id of ids) {
      const call = await loadPopCall(this.context.dataSource.manager, id);
      if (!call || !isPoppable(call, now)) continue;
      const { agentIds, offer } = popTargets(call, available);
      if (!agentIds.includes(agentId)) continue;
      await addOffer(this.context, id, agentId);
      pops.push(presentScreenPop(await completeScreenPopParts(this.context.dataSource.manager, call, now, this.context), offer));
    }
    return pops;
  }

  /**
   * Closes a call's pop at the agents it was offered to (the record lives as long as a call may be offered),
   * not at every socket: with hundreds of consoles that would cost a write to each for every call.
   */
  async close(callId: number, reason: ScreenPopCloseReason, acceptedBy: AgentRef | null): Promise<void> {
    await markClosed(this.context, callId);
    const offered = await offeredAgents(this.context, callId);
    const rooms = [...new Set([...offered, ...(acceptedBy ? [acceptedBy.id] : [])])].map(agentRoom);
    if (rooms.length > 0) this.io.to(rooms).emit("screenpop:close", { callId, reason, acceptedBy });
    await clearOffers(this.context, callId);
  }
}
