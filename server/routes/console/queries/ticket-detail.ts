import { In, type DataSource } from "typeorm";
import { Agent } from "../../../../entities/Agent.js";
import { BillableEntry } from "../../../../entities/BillableEntry.js";
import { CostConsent } from "../../../../entities/CostConsent.js";
import { OnSiteRequest } from "../../../../entities/OnSiteRequest.js";
import { ReferencePerson } from "../../../../entities/ReferencePerson.js";
import { SlaPolicy } from "../../../../entities/SlaPolicy.js";
import { Ticket } from "../../../../entities/Ticket.js";
import { TicketEvent } from "../../../../entities/TicketEvent.js";
import type { TicketDetail } from "../../../../shared-types/console-payloads.js";
import { calendarOf } from "../../../commands/transaction.js";
import type { AppContext } from "../../../context.js";
import { coveredProducts, loadEntitlement } from "../../../domain/entitlement.js";
import { notFound } from "../../../errors/http-error.js";
import { personName, presentProduct } from "../../../presenters/customer.js";
import { presentTicketDetail, type SlaClock } from "../../../presenters/ticket.js";

/** The SLA clock of a ticket's policy: business minutes unless the policy runs 24/7. */
export async function slaClockFor(dataSource: DataSource, context: Pick<AppContext, "calendar">, slaPolicyId: number | null): Promise<SlaClock | undefined> {
  if (slaPolicyId === null) return undefined;
  const policy = await dataSource.getRepository(SlaPolicy).findOneBy({ id: slaPolicyId });
  if (!policy || policy.twentyFourSeven) return undefined;
  const calendar = calendarOf(context);
  return (from, to) => calendar.businessMinutesBetween(from, to);
}

/** Loads a ticket with everything the ticket view shows, or 404. */
export async function loadTicketDetail(context: Pick<AppContext, "dataSource" | "calendar">, ticketId: number, now = new Date()): Promise<TicketDetail> {
  const { dataSource } = context;
  const ticket = await dataSource.getRepository(Ticket).findOne({
    where: { id: ticketId },
    relations: { customer: true, product: true, assignee: true, campus: true, reporter: { campus: true, phoneNumbers: true } },
  });
  if (!ticket) throw notFound("Ticket");

  const [events, costConsents, billableEntries, onSiteRequests] = await Promise.all([
    dataSource.getRepository(TicketEvent).find({ where: { ticketId }, order: { createdAt: "ASC", id: "ASC" } }),
    dataSource.getRepository(CostConsent).find({ where: { ticketId }, relations: { requestedByAgent: true, decidedByPerson: true }, order: { id: "ASC" } }),
    dataSource.getRepository(BillableEntry).find({ where: { ticketId }, relations: { agent: true }, order: { id: "ASC" } }),
    dataSource.getRepository(OnSiteRequest).find({ where: { ticketId }, relations: { requestedByAgent: true, decidedByAgent: true }, order: { id: "ASC" } }),
  ]);
  const agentIds = [...new Set(events.filter((e) => e.actorType === "agent" && e.actorId !== null).map((e) => e.actorId!))];
  const personIds = [...new Set(events.filter((e) => e.actorType === "caller" && e.actorId !== null).map((e) => e.actorId!))];
  const [agents, persons] = await Promise.all([
    agentIds.length ? dataSource.getRepository(Agent).find({ where: { id: In(agentIds) }, select: { id: true, name: true } }) : [],
    personIds.length ? dataSource.getRepository(ReferencePerson).find({ where: { id: In(personIds) }, select: { id: true, firstName: true, lastName: true, erasedAt: true } }) : [],
  ]);

  let covered: TicketDetail["coveredProducts"] = [];
  let customerPersons: ReferencePerson[] = [];
  if (ticket.customerId !== null) {
    const today = calendarOf(context).localDate(now);
    const { contracts } = await loadEntitlement(dataSource.manager, ticket.customerId, null, today);
    covered = coveredProducts(contracts, today).map(presentProduct);
    customerPersons = await dataSource.getRepository(ReferencePerson).find({
      where: { customerId: ticket.customerId, active: true },
      relations: { campus: true, phoneNumbers: true },
      order: { lastName: "ASC", firstName: "ASC", id: "ASC" },
    });
    customerPersons = customerPersons.filter((person) => !person.erasedAt);
  }

  return presentTicketDetail(
    ticket,
    {
      events,
      eventNames: {
        agents: new Map(agents.map((agent) => [agent.id, agent.name])),
        persons: new Map(persons.map((person) => [person.id, personName(person) ?? "—"])),
      },
      costConsents,
      billableEntries,
      onSiteRequests,
      coveredProducts: covered,
      customerPersons,
    },
    now,
    await slaClockFor(dataSource, context, ticket.slaPolicyId),
  );
}
