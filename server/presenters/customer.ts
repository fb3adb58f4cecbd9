import type { Campus } from "../../entities/Campus.js";
import type { Contract } from "../../entities/Contract.js";
import type { Customer } from "../../entities/Customer.js";
import type { Product } from "../../entities/Product.js";
import type { ReferencePerson } from "../../entities/ReferencePerson.js";
import type {
  CampusPayload,
  ContractPayload,
  ContractStatus,
  CustomerRef,
  ProductPayload,
  ReferencePersonPayload,
} from "../../shared-types/console-payloads.js";

/** Customer code and name. */
export function presentCustomerRef(customer: Pick<Customer, "id" | "code" | "name"> | null | undefined): CustomerRef | null {
  return customer ? { id: customer.id, code: customer.code, name: customer.name } : null;
}

/** A campus: name and city. */
export function presentCampus(campus: Campus | null | undefined): CampusPayload | null {
  return campus ? { id: campus.id, name: campus.name, city: campus.city } : null;
}

/** A product: code and name. */
export function presentProduct(product: Pick<Product, "id" | "code" | "name">): ProductPayload {
  return { id: product.id, code: product.code, name: product.name };
}

/** A reference person's display name; null once erased (privacy). */
export function personName(person: Pick<ReferencePerson, "firstName" | "lastName" | "erasedAt"> | null | undefined): string | null {
  return person && !person.erasedAt ? `${person.firstName} ${person.lastName}`.trim() : null;
}

/** A reference person; an erased person (privacy) shows no name or contact data. */
export function presentPerson(person: ReferencePerson): ReferencePersonPayload {
  const erased = Boolean(person.erasedAt);
  return {
    id: person.id,
    name: personName(person) ?? "—",
    role: person.role,
    campus: presentCampus(person.campus),
    language: person.language,
    email: erased ? null : person.email,
    phoneNumbers: erased ? [] : (person.phoneNumbers ?? []).map((number) => number.e164),
    active: Boolean(person.active) && !erased,
  };
}

/** R4 standing of one contract on `today` (YYYY-MM-DD, Europe/Brussels). */
export function contractStatus(contract: Pick<Contract, "validFrom" | "validTo" | "paid">, today: string): ContractStatus {
  if (today < contract.validFrom) return "not_yet_valid";
  if (today > contract.validTo) return "expired";
  return contract.paid ? "active" : "unpaid";
}

/** A contract with its SLA policy and covered products (load both relations). */
export function presentContract(contract: Contract, today: string): ContractPayload {
  return {
    id: contract.id,
    reference: contract.reference,
    validFrom: contract.validFrom,
    validTo: contract.validTo,
    paid: Boolean(contract.paid),
    status: contractStatus(contract, today),
    slaPolicy: contract.slaPolicy
      ? { id: contract.slaPolicy.id, name: contract.slaPolicy.name, twentyFourSeven: Boolean(contract.slaPolicy.twentyFourSeven) }
      : null,
    products: (contract.products ?? []).map(presentProduct),
  };
}
