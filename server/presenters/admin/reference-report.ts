import type { Customer } from "../../../entities/Customer.js";
import type { ReferenceCompleteness } from "../../domain/reference-completeness.js";
import { presentCustomerRef } from "../customer.js";

/** One customer's line of the R3 report. */
export interface ReferenceReportLine extends ReferenceCompleteness {
  customer: { id: number; code: string; name: string };
}

/** A customer's line of the R3 report: who it is and what its reference persons cover. */
export function presentReferenceReportLine(customer: Pick<Customer, "id" | "code" | "name">, completeness: ReferenceCompleteness): ReferenceReportLine {
  return { customer: presentCustomerRef(customer)!, ...completeness };
}
