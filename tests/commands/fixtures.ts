import type { DataSource } from "typeorm";
import { Agent } from "../../entities/Agent.js";
import { Campus } from "../../entities/Campus.js";
import { Customer } from "../../entities/Customer.js";
import type { AgentRole, ReferenceRole, TicketStatus } from "../../entities/enums.js";
import { OutboxMessage } from "../../entities/OutboxMessage.js";
import { ReferencePerson } from "../../entities/ReferencePerson.js";
import { SlaPolicy } from "../../entities/SlaPolicy.js";
import { Ticket } from "../../entities/Ticket.js";
import { TicketEvent } from "../../entities/TicketEvent.js";
import type { CommandContext } from "../../server/commands/transaction.js";
import { parseEnv } from "../../server/config/env.js";
import { BusinessCalendar } from "../../server/domain/business-hours.js";
import { OutboxPublisher } from "../../server/events/publisher.js";
import { createLogger } from "../../server/logger.js";

// Rows the rule tests start from, written straight to the database (test data, not our code under test).

let counter = 0;
const unique = () => `${process.pid}-${++counter}`;

/** The desk's default calendar: Europe/Brussels, 08:30–17:00, Monday to Friday, Belgian holidays. */
export const calendar = BusinessCalendar.fromEnv(parseEnv({}));

/** A command context on the run's database with the default calendar. */
export function commandContext(dataSource: DataSource): CommandContext {
  return { dataSource, publisher: new OutboxPublisher(dataSource, createLogger("silent")), calendar };
}

/** A customer with a supplier (unless supplierName is null) and the named campuses. */
export async function makeCustomer(dataSource: DataSource, options: { supplierName?: string | null; campuses?: string[] } = {}) {
  const customer = await dataSource.getRepository(Customer).save({
    code: `C${unique()}`,
    name: `Customer ${counter}`,
    supplierName: options.supplierName === undefined ? "Supplier bv" : options.supplierName,
    supplierEmail: options.supplierName === null ? null : "support@supplier.example",
  });
  const campuses = await dataSource.getRepository(Campus).save((options.campuses ?? ["Campus A"]).map((name) => ({ customerId: customer.id, name, city: null })));
  return { customer, campuses };
}

/** An active reference person of the customer (role general unless given). */
export async function makePerson(
  dataSource: DataSource,
  customerId: number,
  options: { role?: ReferenceRole; campusId?: number | null; active?: boolean; erasedAt?: Date | null } = {},
): Promise<ReferencePerson> {
  return dataSource.getRepository(ReferencePerson).save({
    customerId,
    role: options.role ?? "general",
    campusId: options.campusId ?? null,
    firstName: "Test",
    lastName: `Person ${unique()}`,
    email: null,
    language: "nl",
    pinHash: null,
    active: options.active ?? true,
    erasedAt: options.erasedAt ?? null,
  });
}

/** An active desk account of the given role. */
export async function makeAgent(dataSource: DataSource, role: AgentRole = "agent"): Promise<Agent> {
  return dataSource.getRepository(Agent).save({
    email: `agent-${unique()}@desk.example`,
    name: `${role} ${counter}`,
    passwordHash: "scrypt$00$00",
    role,
    languages: ["nl"],
    status: "offline",
    uiLanguage: "nl",
    phoneNumber: null,
    active: true,
  });
}

/** An SLA policy with the same targets (60 / 480 minutes) for every priority. */
export async function makePolicy(dataSource: DataSource, twentyFourSeven: boolean): Promise<SlaPolicy> {
  const target = { firstResponseMinutes: 60, resolutionMinutes: 480 };
  return dataSource.getRepository(SlaPolicy).save({
    name: `Policy ${unique()}`,
    twentyFourSeven,
    targets: { critical: target, high: target, normal: target, low: target },
  });
}

/** An open incident ticket with the given due times; SLA targets are not computed here. */
export async function makeTicket(
  dataSource: DataSource,
  props: { customerId: number | null; slaPolicyId?: number | null; firstResponseDueAt?: Date | null; resolutionDueAt?: Date | null; status?: TicketStatus },
): Promise<Ticket> {
  return dataSource.getRepository(Ticket).save({
    number: `T-${unique()}`,
    contactType: "incident",
    priority: "normal",
    status: props.status ?? "open",
    customerId: props.customerId,
    language: "nl",
    entitled: props.customerId !== null,
    slaPolicyId: props.slaPolicyId ?? null,
    firstResponseDueAt: props.firstResponseDueAt ?? null,
    resolutionDueAt: props.resolutionDueAt ?? null,
  });
}

/** Event types of a ticket, oldest first. */
export async function eventTypes(dataSource: DataSource, ticketId: number): Promise<string[]> {
  const events = await dataSource.getRepository(TicketEvent).find({ where: { ticketId }, order: { id: "ASC" } });
  return events.map((event) => event.type);
}

/** Outbox topics written so far, oldest first. */
export async function outboxTopics(dataSource: DataSource): Promise<string[]> {
  return (await dataSource.getRepository(OutboxMessage).find({ order: { id: "ASC" } })).map((message) => message.topic);
}

/** Runs `work` and returns the error it threw (fails when it did not throw). */
export async function rejectionOf(work: Promise<unknown>): Promise<Error & { status?: number; id?: string; details?: Record<string, unknown> }> {
  try {
    await work;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected the command to be refused, but it succeeded");
}
