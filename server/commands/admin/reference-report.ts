import { Customer } from "../../../entities/Customer.js";
import { loadAllReferenceCompleteness } from "../../domain/reference-completeness.js";
import { presentReferenceReportLine } from "../../presenters/admin/reference-report.js";
import type { CommandContext } from "../transaction.js";
import { whereContains, type ListQuery } from "./listing.js";

/**
 * R3 report: per customer, the campuses without a campus reference person and whether the general and technical
 * roles are filled. Computed for all matching customers (a few queries), then filtered and paged.
 */
export async function referenceReport(context: CommandContext, query: ListQuery & { incompleteOnly?: boolean }) {
  const qb = context.dataSource.getRepository(Customer).createQueryBuilder("customer").select(["customer.id", "customer.code", "customer.name"]).orderBy("customer.name", "ASC").addOrderBy("customer.id", "ASC");
  whereContains(qb, ["customer.code", "customer.name"], query.q);
  const customers = await qb.getMany();
  const completeness = await loadAllReferenceCompleteness(context.dataSource.manager, customers.map((c) => c.id));
  const lines = customers.map((customer) => presentReferenceReportLine(customer, completeness.get(customer.id)!));
  const incomplete = lines.filter((line) => !line.complete);
  const shown = query.incompleteOnly ? incomplete : lines;
  return {
    items: shown.slice((query.page - 1) * query.pageSize, query.page * query.pageSize),
    page: query.page,
    pageSize: query.pageSize,
    total: shown.length,
    incompleteCustomers: incomplete.length,
  };
}
