import { In, type EntityManager } from "typeorm";
import { FINISHED_TICKET_STATUSES } from "../../entities/enums.js";
import { Agent } from "../../entities/Agent.js";
import { Call } from "../../entities/Call.js";
import { Campus } from "../../entities/Campus.js";
import type { Contract } from "../../entities/Contract.js";
import { Customer } from "../../entities/Customer.js";
import { PhoneNumber } from "../../entities/PhoneNumber.js";
import { Product } from "../../entities/Product.js";
import { ReferencePerson } from "../../entities/ReferencePerson.js";
import { Ticket } from "../../entities/Ticket.js";
import { leanColumns, leanColumnsKeeping, leanFindOne, leanHydrate, leanTable } from "../db/lean.js";
import { readOne, readTogether, type Read } from "../db/reads.js";
import type { AgentRef, ScreenPop } from "../../shared-types/console-payloads.js";
import type { ScreenPopClose, ScreenPopCloseReason } from "../../shared-types/socket-events.js";
import { calendarOf } from "../commands/transaction.js";
import type { AppContext } from "../context.js";
import { checkEntitlement, contractsRead, coveredProducts } from "../domain/entitlement.js";
import { availableAgents, availableAgentsRead, offerTargets } from "../domain/offer-targets.js";
import { popStage } from "../domain/call-stage.js";
import { inDeskOrder } from "../domain/desk-order.js";
import { presentAgentRef } from "../presenters/agent.js";
import { ivrChoices, POP_LINE_COLUMNS, presentScreenPop, type ScreenPopParts } from "../presenters/screen-pop.js";
import { addOfferUnlessClosed, closeOffers, isClosed, replaceOffersUnlessClosed } from "./pop-offers.js";
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

/** An inbound call nobody took that is not over and recent enough to offer: what both checks below start from. */
function isOpenInbound(call: Call, now: Date): boolean {
  return call.direction === "inbound" && call.acceptedByAgentId === null && call.endedAt === null && now.getTime() - new Date(call.createdAt).getTime() < MAX_POP_AGE_MS;
}

/** True while a call may still be offered: inbound, identified or queued, not accepted, not ended, recent. */
export function isPoppable(call: Call, now: Date): boolean {
  return isOpenInbound(call, now) && (call.outcome === "queued" || (call.outcome === "in_ivr" && call.personId !== null));
}

/** True while an inbound caller is still in the IVR, not identified yet, so may become poppable (PIN, shared number). */
export function awaitingIdentification(call: Call, now: Date): boolean {
  return isOpenInbound(call, now) && call.outcome === "in_ivr" && call.personId === null;
}

/** Why an unaccepted call is no longer offered: the caller went on to leave a message, or left. */
function closeReasonOf(call: Pick<Call, "outcome" | "ivrStep" | "endedAt">): ScreenPopCloseReason {
  return call.endedAt === null && popStage(call) === "voicemail" ? "voicemail" : "ended";
}

/** Ids of the calls that wait for an agent right now, in the desk's order (a caller an agent missed first). */
export async function waitingCallIds(manager: EntityManager, now: Date): Promise<number[]> {
  const rows = await manager
    .getRepository(Call)
    .createQueryBuilder("call")
    .select(["call.id", "call.missedAt", "call.queuedAt", "call.createdAt"])
    .where("call.acceptedByAgentId IS NULL")
    .andWhere("call.endedAt IS NULL")
    .andWhere("call.direction = :inbound", { inbound: "inbound" })
    .andWhere("(call.outcome = :queued OR (call.outcome = :inIvr AND call.personId IS NOT NULL))", { queued: "queued", inIvr: "in_ivr" })
    .andWhere("call.createdAt > :since", { since: new Date(now.getTime() - MAX_POP_AGE_MS) })
    .getMany();
  return inDeskOrder(rows).map((row) => row.id);
}

const REF_COLUMNS = ["id", "code", "name"] as const;
const AGENT_REF_COLUMNS = ["id", "name"] as const;

/** A call with the caller (campus, numbers, customer), its customer and the agent who took it: one joined read. */
export function popCallRead(manager: EntityManager, callId: number): Read<Call | null> {
  const escape = (name: string) => manager.connection.driver.escape(name);
  return {
    sql: `SELECT ${leanColumns(manager, Call, "c")}, ${leanColumns(manager, ReferencePerson, "p")}, ${leanColumns(manager, Campus, "cp")},
       ${leanColumns(manager, PhoneNumber, "n")}, ${leanColumns(manager, Customer, "pc", REF_COLUMNS)},
       ${leanColumns(manager, Customer, "cc", REF_COLUMNS)}, ${leanColumns(manager, Agent, "a", AGENT_REF_COLUMNS)}
     FROM ${leanTable(manager, Call)} c
     LEFT JOIN ${leanTable(manager, ReferencePerson)} p ON p.id = c.${escape("personId")}
     LEFT JOIN ${leanTable(manager, Campus)} cp ON cp.id = p.${escape("campusId")}
     LEFT JOIN ${leanTable(manager, PhoneNumber)} n ON n.${escape("personId")} = p.id
     LEFT JOIN ${leanTable(manager, Customer)} pc ON pc.id = p.${escape("customerId")}
     LEFT JOIN ${leanTable(manager, Customer)} cc ON cc.id = c.${escape("customerId")}
     LEFT JOIN ${leanTable(manager, Agent)} a ON a.id = c.${escape("acceptedByAgentId")}
     WHERE c.id = ?`,
    params: [callId],
    shape(rows) {
      const first = rows[0];
      if (!first) return null;
      const call = leanHydrate(manager, Call, "c", first)!;
      const person = leanHydrate(manager, ReferencePerson, "p", first);
      if (person) {
        person.campus = leanHydrate(manager, Campus, "cp", first);
        person.customer = leanHydrate(manager, Customer, "pc", first, REF_COLUMNS)!;
        // Ordered here, not in SQL: an ORDER BY over joined rows would make MariaDB build a temporary table.
        person.phoneNumbers = rows.map((row) => leanHydrate(manager, PhoneNumber, "n", row)).filter((number) => number !== null).sort((a, b) => a.id - b.id);
      }
      call.person = person;
      call.customer = leanHydrate(manager, Customer, "cc", first, REF_COLUMNS);
      call.acceptedByAgent = leanHydrate(manager, Agent, "a", first, AGENT_REF_COLUMNS);
      return call;
    },
  };
}

export function loadPopCall(manager: EntityManager, callId: number): Promise<Call | null> {
  return readOne(manager, popCallRead(manager, callId));
}

type TicketPart = "ticket" | "open" | "recent";
type PopLine = Pick<Ticket, (typeof POP_LINE_COLUMNS)[number]>;

/**
 * The ticket columns of the call's own ticket in a pop (presentTicketSummary): all but the long texts, which would
 * also make MariaDB materialise each list in an on-disk temporary table.
 */
const popTicketColumnsByConnection = new WeakMap<object, string[]>();
function popTicketColumns(manager: EntityManager): string[] {
  let columns = popTicketColumnsByConnection.get(manager.connection);
  if (!columns) {
    columns = manager.connection.getMetadata(Ticket).columns.filter((column) => column.type !== "text").map((column) => column.propertyName);
    popTicketColumnsByConnection.set(manager.connection, columns);
  }
  return columns;
}

/** The SQL of loadPopTickets per connection and shape (with the call's ticket, with the customer's lists): built once. */
const popTicketsSql = new WeakMap<object, Map<string, string>>();

function popTicketsQuery(manager: EntityManager, withTicket: boolean, withLists: boolean): string {
  let byShape = popTicketsSql.get(manager.connection);
  if (!byShape) popTicketsSql.set(manager.connection, (byShape = new Map()));
  const shape = `${withTicket}/${withLists}`;
  const cached = byShape.get(shape);
  if (cached) return cached;
  const escape = (name: string) => manager.connection.driver.escape(name);
  const ticketColumns = popTicketColumns(manager);
  const select = (part: TicketPart, keptOfTicket: readonly string[], keptOfJoined: readonly string[]) =>
    `SELECT '${part}' AS part, ${leanColumnsKeeping(manager, Ticket, "t", ticketColumns, keptOfTicket)}, ${leanColumnsKeeping(manager, Customer, "cu", REF_COLUMNS, keptOfJoined)},
       ${leanColumnsKeeping(manager, Product, "pr", REF_COLUMNS, keptOfJoined)}, ${leanColumnsKeeping(manager, Agent, "ag", AGENT_REF_COLUMNS, keptOfJoined)}
     FROM ${leanTable(manager, Ticket)} t`;
  const parts: string[] = [];
  if (withTicket) {
    parts.push(`${select("ticket", ticketColumns, REF_COLUMNS)}
     LEFT JOIN ${leanTable(manager, Customer)} cu ON cu.id = t.${escape("customerId")}
     LEFT JOIN ${leanTable(manager, Product)} pr ON pr.id = t.${escape("productId")}
     LEFT JOIN ${leanTable(manager, Agent)} ag ON ag.id = t.${escape("assigneeId")} WHERE t.id = ?`);
  }
  if (withLists) {
    // Each list under its own ORDER BY and LIMIT, as a derived table: MariaDB then walks the customer's index in
    // order and stops at the LIMIT. A parenthesised UNION part costs it less CPU on a warm cache, but its plan may sort
    // all of the customer's tickets instead, and on a large desk (pages not cached) that made every call slower.
    const list = (part: TicketPart, status: string, order: string, limit: number) =>
      `SELECT * FROM (${select(part, POP_LINE_COLUMNS, [])} WHERE t.${escape("customerId")} = ? AND t.status ${status} (${FINISHED_TICKET_STATUSES.map(() => "?").join(", ")})${withTicket ? " AND t.id <> ?" : ""}
        ORDER BY t.${escape(order)} DESC, t.id DESC LIMIT ${limit}) ${part}_tickets`;
    parts.push(list("open", "NOT IN", "createdAt", OPEN_TICKETS_SHOWN), list("recent", "IN", "updatedAt", RECENT_TICKETS_SHOWN));
  }
  const sql = parts.join(" UNION ALL ");
  byShape.set(shape, sql);
  return sql;
}

interface PopTickets {
  ticket: Ticket | null;
  open: PopLine[];
  recent: PopLine[];
}

/**
 * The call's ticket and the customer's other open and recently closed tickets: one read (each list in index order
 * under its own LIMIT). The call's ticket comes with its customer, product and assignee; the lists only with the
 * columns of a pop line (the other columns read as NULL, so the parts of the UNION ALL line up). Needs the customer,
 * the ticket or both.
 */
function popTicketsRead(manager: EntityManager, customerId: number | null, ticketId: number | null): Read<PopTickets> {
  if (ticketId === null && customerId === null) throw new Error("a pop's tickets need a customer or a ticket");
  const listParams = (customer: number) => [customer, ...FINISHED_TICKET_STATUSES, ...(ticketId !== null ? [ticketId] : [])];
  return {
    sql: popTicketsQuery(manager, ticketId !== null, customerId !== null),
    params: [...(ticketId !== null ? [ticketId] : []), ...(customerId !== null ? [...listParams(customerId), ...listParams(customerId)] : [])],
    shape(rows) {
      const found: PopTickets = { ticket: null, open: [], recent: [] };
      const ticketColumns = popTicketColumns(manager);
      for (const row of rows) {
        if (row.part === "ticket") {
          const ticket = leanHydrate(manager, Ticket, "t", row, ticketColumns)!;
          ticket.customer = leanHydrate(manager, Customer, "cu", row, REF_COLUMNS);
          ticket.product = leanHydrate(manager, Product, "pr", row, REF_COLUMNS);
          ticket.assignee = leanHydrate(manager, Agent, "ag", row, AGENT_REF_COLUMNS);
          found.ticket = ticket;
        } else found[row.part as "open" | "recent"].push(leanHydrate(manager, Ticket, "t", row, POP_LINE_COLUMNS)!);
      }
      // UNION ALL keeps no order across its parts: each list is put back in the order its LIMIT was taken in.
      found.open.sort((a, b) => +new Date(b.createdAt) - +new Date(a.createdAt) || b.id - a.id);
      found.recent.sort((a, b) => +new Date(b.updatedAt) - +new Date(a.updatedAt) || b.id - a.id);
      return found;
    },
  };
}

/** The pop's tickets and the customer's contracts, read together. */
async function loadPopTicketsAndContracts(manager: EntityManager, customerId: number | null, ticketId: number | null): Promise<[PopTickets, Contract[]]> {
  if (customerId !== null) return readTogether(manager, [popTicketsRead(manager, customerId, ticketId), contractsRead(manager, customerId)] as const);
  return [ticketId === null ? { ticket: null, open: [], recent: [] } : await readOne(manager, popTicketsRead(manager, null, ticketId)), []];
}

/** The rest of what a pop shows about a loaded call: its ticket, the customer's contracts, products and tickets. */
export async function completeScreenPopParts(manager: EntityManager, call: Call, now: Date, context: Pick<AppContext, "calendar">): Promise<ScreenPopParts> {
  const today = calendarOf(context).localDate(now);
  let customerId = call.customerId ?? call.person?.customerId ?? null;
  let [tickets, contracts] = await loadPopTicketsAndContracts(manager, customerId, call.ticketId);
  const ticket = tickets.ticket;
  // A call known only through its ticket (an agent filed it for an unidentified caller): that customer's tickets.
  if (customerId === null && ticket?.customerId) {
    customerId = ticket.customerId;
    [tickets, contracts] = await loadPopTicketsAndContracts(manager, customerId, ticket.id);
  }
  const parts: ScreenPopParts = { call, entitlement: null, contracts: [], coveredProducts: [], openTickets: tickets.open, recentTickets: tickets.recent, ticket, today, now };
  if (customerId === null) return parts;

  const verdict = checkEntitlement(contracts, ticket?.productId ?? ivrChoices(call.ivrState).productId, today);
  parts.entitlement = { entitled: verdict.entitled, reason: verdict.reason };
  parts.contracts = contracts;
  parts.coveredProducts = coveredProducts(contracts, today);
  return parts;
}

/**
 * Offers waiting calls to the agents who may take them. Who was offered a call is kept in Redis (pop-offers.ts)
 * so an accept can check it and a changed target list can withdraw pops that no longer apply.
 */
export class ScreenPopService {
  constructor(private readonly io: RealtimeServer, private readonly context: AppContext) {}

  /**
   * Re-offers one call: pop (or update) for its current targets, withdraw from agents no longer targeted, close
   * when done. `targetsOnly`: only who may take it changed (an agent's status), not what the pop shows, so it goes
   * only to agents who do not have it yet, unless the kind of offer changed (language or fallback).
   */
  async refresh(callId: number, now = new Date(), options: { available?: Pick<Agent, "id" | "languages">[]; targetsOnly?: boolean } = {}): Promise<void> {
    const manager = this.context.dataSource.manager;
    // Who may take a call is decided on its row alone: on an agent's status change (targetsOnly) the joins of the
    // pop are read only when someone new is to be shown it. Otherwise the call comes with who is available, in one
    // round trip (the agents are read even for a call no longer offered: they cost less than a second round trip).
    const [call, available] = options.targetsOnly
      ? [await leanFindOne(manager, Call, { id: callId }), options.available]
      : options.available
        ? [await loadPopCall(manager, callId), options.available]
        : await readTogether(manager, [popCallRead(manager, callId), availableAgentsRead(manager)] as const);
    if (!call) return;
    // Decided on the call alone: a call no longer offered needs none of the rest of the pop.
    if (!isPoppable(call, now)) {
      // A caller not identified yet (PIN or shared-number menu to come) may still pop: closing now would mark the
      // call closed in Redis for good and drop every pop once they are identified.
      if (call.acceptedByAgentId === null && !awaitingIdentification(call, now)) await this.close(callId, closeReasonOf(call), null);
      return;
    }
    const { agentIds, offer } = popTargets(call, available ?? (await availableAgents(manager)));
    // What the pop shows is read while Redis records the offer; not at all when nobody may take the call now.
    const building = !options.targetsOnly && agentIds.length > 0 ? completeScreenPopParts(manager, call, now, this.context) : null;
    building?.catch(() => undefined); // awaited below; not left unhandled if Redis fails first
    // The call may have been taken or ended while this pop was built from the state read above (deliveries run in
    // parallel): close() marks it before sending, so a pop built too late is dropped here. Redis answers this step
    // and that mark in order, so a show that does go out precedes the close.
    const offered = await replaceOffersUnlessClosed(this.context, callId, agentIds, offer);
    if (!offered) return;
    const withdrawn = offered.previous.filter((id) => !agentIds.includes(id));
    if (withdrawn.length > 0) this.io.to(withdrawn.map(agentRoom)).emit("screenpop:close", { callId, reason: "withdrawn", acceptedBy: null });
    const recipients = !options.targetsOnly || offered.previousKind !== offer ? agentIds : agentIds.filter((id) => !offered.previous.includes(id));
    if (recipients.length === 0) return;
    const shown = options.targetsOnly ? await loadPopCall(manager, callId) : call;
    if (!shown) return;
    const parts = building ? await building : await completeScreenPopParts(manager, shown, now, this.context);
    // Built after the step above: a close may have come in between.
    if (!building && (await isClosed(this.context, callId))) return;
    this.io.to(recipients.map(agentRoom)).emit("screenpop:show", presentScreenPop(parts, offer));
  }

  /**
   * Re-offers every waiting call. `targetsOnly`: an agent's status or languages changed (who may take them, not
   * what they show). Without it every target gets each pop again, one build per call: after a Redis reconnect, when
   * pushes from other instances may have been lost.
   */
  async refreshAll(now = new Date(), options: { targetsOnly: boolean } = { targetsOnly: true }): Promise<void> {
    const ids = await waitingCallIds(this.context.dataSource.manager, now);
    if (ids.length === 0) return;
    const available = await availableAgents(this.context.dataSource.manager);
    for (const id of ids) await this.refresh(id, now, { available, targetsOnly: options.targetsOnly });
  }

  /** The pops one agent should see now; records them as offered (a connecting agent gets them at once). */
  async popsFor(agentId: number, now = new Date()): Promise<ScreenPop[]> {
    // Only an agent who is available now is offered calls; the list of available agents says whether.
    const available = await availableAgents(this.context.dataSource.manager);
    if (!available.some((candidate) => candidate.id === agentId)) return [];
    const ids = await waitingCallIds(this.context.dataSource.manager, now);
    if (ids.length === 0) return [];
    const pops: ScreenPop[] = [];
    for (const id of ids) {
      const call = await loadPopCall(this.context.dataSource.manager, id);
      if (!call || !isPoppable(call, now)) continue;
      const { agentIds, offer } = popTargets(call, available);
      if (!agentIds.includes(agentId)) continue;
      if (!(await addOfferUnlessClosed(this.context, id, agentId))) continue;
      pops.push(presentScreenPop(await completeScreenPopParts(this.context.dataSource.manager, call, now, this.context), offer));
    }
    return pops;
  }

  /**
   * Of these calls, those whose pops are gone for good (taken, ended, too old), as the closes a console missed
   * (it was disconnected, or its instance lost Redis). A call still waiting is left out, whoever it is offered to.
   */
  async gone(callIds: number[], now = new Date()): Promise<ScreenPopClose[]> {
    const ids = [...new Set(callIds)];
    if (ids.length === 0) return [];
    const calls = await this.context.dataSource.getRepository(Call).find({ where: { id: In(ids) }, relations: { acceptedByAgent: true } });
    const byId = new Map(calls.map((call) => [call.id, call]));
    return ids.flatMap((callId): ScreenPopClose[] => {
      const call = byId.get(callId);
      if (call && call.acceptedByAgentId !== null) {
        return [{ callId, reason: "accepted", acceptedBy: presentAgentRef(call.acceptedByAgent) ?? { id: call.acceptedByAgentId, name: "" } }];
      }
      return !call || !isPoppable(call, now) ? [{ callId, reason: call ? closeReasonOf(call) : "ended", acceptedBy: null }] : [];
    });
  }

  /**
   * Closes a call's pop at the agents it was offered to (the record lives as long as a call may be offered),
   * not at every socket: with hundreds of consoles that would cost a write to each for every call.
   */
  async close(callId: number, reason: ScreenPopCloseReason, acceptedBy: AgentRef | null): Promise<void> {
    const offered = await closeOffers(this.context, callId);
    const rooms = [...new Set([...offered, ...(acceptedBy ? [acceptedBy.id] : [])])].map(agentRoom);
    if (rooms.length > 0) this.io.to(rooms).emit("screenpop:close", { callId, reason, acceptedBy });
  }

}
