import { In, Not, type DataSource } from "typeorm";
import { FINISHED_TICKET_STATUSES } from "../../../../entities/enums.js";
import { Campus } from "../../../../entities/Campus.js";
import { Customer } from "../../../../entities/Customer.js";
import { PhoneNumber } from "../../../../entities/PhoneNumber.js";
import { ReferencePerson } from "../../../../entities/ReferencePerson.js";
import { Ticket } from "../../../../entities/Ticket.js";
import type { CustomerDetail, CustomerSummary } from "../../../../shared-types/console-payloads.js";
import { calendarOf } from "../../../commands/transaction.js";
import type { AppContext } from "../../../context.js";
import { coveredProducts, loadEntitlement } from "../../../domain/entitlement.js";
import { tryNormalizePhoneNumber } from "../../../domain/phone.js";
import { notFound } from "../../../errors/http-error.js";
import { presentCampus, presentContract, presentCustomerRef, presentPerson, presentProduct } from "../../../presenters/customer.js";
import { presentTicketSummary } from "../../../presenters/ticket.js";
import { likePattern } from "./ticket-search.js";

const MAX_RESULTS = 20;

/**
 * Finds customers by name or code, by a reference person's name, or by a phone number in any format
 * (normalised to E.164 like caller IDs are, R2). Persons that matched are listed with their customer.
 */
export async function lookUpCustomers(dataSource: DataSource, q: string): Promise<CustomerSummary[]> {
  const pattern = likePattern(q);
  const byName = await dataSource
    .getRepository(Customer)
    .createQueryBuilder("customer")
    .where("LOWER(customer.name) LIKE :pattern ESCAPE '!' OR LOWER(customer.code) LIKE :pattern ESCAPE '!'", { pattern })
    .orderBy("customer.name", "ASC")
    .take(MAX_RESULTS)
    .getMany();

  const e164 = q.replace(/\D/g, "").length >= 6 ? tryNormalizePhoneNumber(q) : null;
  const owners = e164 ? (await dataSource.getRepository(PhoneNumber).find({ where: { e164 }, select: { personId: true } })).map((o) => o.personId) : [];
  const nameMatch = `LOWER(person.firstName) LIKE :pattern ESCAPE '!' OR LOWER(person.lastName) LIKE :pattern ESCAPE '!' OR LOWER(${concatName(dataSource)}) LIKE :pattern ESCAPE '!'`;
  const personQuery = dataSource
    .getRepository(ReferencePerson)
    .createQueryBuilder("person")
    .leftJoinAndSelect("person.campus", "campus")
    .leftJoinAndSelect("person.phoneNumbers", "phone")
    .where("person.erasedAt IS NULL")
    .andWhere(owners.length > 0 ? `(${nameMatch} OR person.id IN (:...owners))` : `(${nameMatch})`, { pattern, owners });
  const persons = await personQuery.orderBy("person.lastName", "ASC").take(MAX_RESULTS * 2).getMany();

  const customerIds = [...new Set([...byName.map((c) => c.id), ...persons.map((p) => p.customerId)])].slice(0, MAX_RESULTS);
  if (customerIds.length === 0) return [];
  const [customers, campuses] = await Promise.all([
    dataSource.getRepository(Customer).find({ where: { id: In(customerIds) }, order: { name: "ASC" } }),
    dataSource.getRepository(Campus).find({ where: { customerId: In(customerIds) }, order: { name: "ASC" } }),
  ]);
  return customers.map((customer) => ({
    ...presentCustomerRef(customer)!,
    campuses: campuses.filter((campus) => campus.customerId === customer.id).map((campus) => presentCampus(campus)!),
    matchedPersons: persons.filter((person) => person.customerId === customer.id).map(presentPerson),
  }));
}

/**
 * Customers by most recent ticket (those without tickets after them, by name), one page at a time: what the
 * customers page shows before anyone searches.
 */
export async function recentCustomers(dataSource: DataSource, page: number, pageSize: number): Promise<{ items: CustomerSummary[]; total: number }> {
  // DESC puts customers without tickets (NULL) last on MariaDB and SQLite alike.
  const rows: { id: number; lastTicketAt: string | Date | null }[] = await dataSource
    .getRepository(Customer)
    .createQueryBuilder("customer")
    .leftJoin(Ticket, "ticket", "ticket.customerId = customer.id")
    .select("customer.id", "id")
    .addSelect("MAX(ticket.createdAt)", "lastTicketAt")
    .groupBy("customer.id")
    .addGroupBy("customer.name")
    .orderBy("lastTicketAt", "DESC")
    .addOrderBy("customer.name", "ASC")
    .addOrderBy("customer.id", "ASC")
    .offset((page - 1) * pageSize)
    .limit(pageSize)
    .getRawMany();
  const total = await dataSource.getRepository(Customer).count();
  const ids = rows.map((row) => Number(row.id));
  if (ids.length === 0) return { items: [], total };
  const [customers, campuses] = await Promise.all([
    dataSource.getRepository(Customer).find({ where: { id: In(ids) } }),
    dataSource.getRepository(Campus).find({ where: { customerId: In(ids) }, order: { name: "ASC" } }),
  ]);
  const items = rows.flatMap((row) => {
    const customer = customers.find((c) => c.id === Number(row.id));
    if (!customer) return [];
    return [{
      ...presentCustomerRef(customer)!,
      campuses: campuses.filter((campus) => campus.customerId === customer.id).map((campus) => presentCampus(campus)!),
      matchedPersons: [],
      lastTicketAt: row.lastTicketAt === null ? null : asIso(row.lastTicketAt),
    }];
  });
  return { items, total };
}

/** A MAX() of a datetime column as the drivers return it (Date from mysql2, text from SQLite, both UTC) in ISO form. */
function asIso(value: string | Date): string {
  if (value instanceof Date) return value.toISOString();
  return new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value.replace(" ", "T")}Z`).toISOString();
}

function concatName(dataSource: DataSource): string {
  return dataSource.options.type === "mysql" ? "CONCAT(person.firstName, ' ', person.lastName)" : "(person.firstName || ' ' || person.lastName)";
}

/** One customer with campuses, reference persons, contracts and their SLA status, covered products and tickets. */
export async function loadCustomerDetail(context: Pick<AppContext, "dataSource" | "calendar">, customerId: number, now = new Date()): Promise<CustomerDetail> {
  const { dataSource } = context;
  const customer = await dataSource.getRepository(Customer).findOneBy({ id: customerId });
  if (!customer) throw notFound("Customer");
  const today = calendarOf(context).localDate(now);
  const ticketRelations = { customer: true, product: true, assignee: true } as const;
  const [campuses, persons, entitlement, openTickets, recentTickets] = await Promise.all([
    dataSource.getRepository(Campus).find({ where: { customerId }, order: { name: "ASC" } }),
    dataSource.getRepository(ReferencePerson).find({ where: { customerId }, relations: { campus: true, phoneNumbers: true }, order: { lastName: "ASC", firstName: "ASC" } }),
    loadEntitlement(dataSource.manager, customerId, null, today),
    dataSource.getRepository(Ticket).find({ where: { customerId, status: Not(In(FINISHED_TICKET_STATUSES)) }, relations: ticketRelations, order: { createdAt: "DESC" }, take: 20 }),
    dataSource.getRepository(Ticket).find({ where: { customerId, status: In(FINISHED_TICKET_STATUSES) }, relations: ticketRelations, order: { updatedAt: "DESC" }, take: 10 }),
  ]);
  return {
    ...presentCustomerRef(customer)!,
    supplierName: customer.supplierName,
    supplierEmail: customer.supplierEmail,
    campuses: campuses.map((campus) => presentCampus(campus)!),
    referencePersons: persons.filter((person) => !person.erasedAt).map(presentPerson),
    contracts: entitlement.contracts.map((contract) => presentContract(contract, today)),
    coveredProducts: coveredProducts(entitlement.contracts, today).map(presentProduct),
    openTickets: openTickets.map((ticket) => presentTicketSummary(ticket, now)),
    recentTickets: recentTickets.map((ticket) => presentTicketSummary(ticket, now)),
  };
}
