import { DateTime } from "luxon";
import type { DataSource } from "typeorm";
import { Agent } from "../../entities/Agent.js";
import { Campus } from "../../entities/Campus.js";
import { Contract } from "../../entities/Contract.js";
import { Customer } from "../../entities/Customer.js";
import { Product } from "../../entities/Product.js";
import { ReferencePerson } from "../../entities/ReferencePerson.js";
import { SlaPolicy } from "../../entities/SlaPolicy.js";
import { Ticket } from "../../entities/Ticket.js";
import { hashPassword } from "../auth/passwords.js";
import type { Env } from "../config/env.js";
import { normalizePhoneNumber } from "../domain/phone.js";
import { hashPin } from "../domain/pin.js";
import { DemoDataPresentError } from "../errors/demo-data-present-error.js";
import { contractTerms, DEMO_AGENTS, DEMO_CUSTOMERS, DEMO_PASSWORD, DEMO_PRODUCTS, DEMO_SLA_POLICIES } from "./demo-data-set.js";

/** True when no account exists yet (a fresh database). */
export async function isDatabaseEmpty(dataSource: DataSource): Promise<boolean> {
  return (await dataSource.getRepository(Agent).count()) === 0;
}

export interface DemoDataSummary {
  agents: number;
  customers: number;
  campuses: number;
  referencePersons: number;
  products: number;
  contracts: number;
}

/**
 * Loads the demo data set (server/seed/demo-data-set.ts, docs/demo-data.md) in one transaction. Refuses with
 * DemoDataPresentError when the database already holds accounts or master data, so real data is never mixed in.
 * Contract dates are relative to `options.today` (default: today in the desk's time zone).
 */
export async function loadDemoData(dataSource: DataSource, env: Env, options: { today?: string } = {}): Promise<DemoDataSummary> {
  const today = options.today ?? DateTime.now().setZone(env.BUSINESS_TIMEZONE).toISODate()!;
  // scrypt is slow on purpose: hash before the transaction so it stays short.
  const agentHashes = await Promise.all(DEMO_AGENTS.map(() => hashPassword(DEMO_PASSWORD)));

  return dataSource.transaction(async (manager) => {
    const counts = {
      agents: await manager.getRepository(Agent).count(),
      customers: await manager.getRepository(Customer).count(),
      products: await manager.getRepository(Product).count(),
      "SLA policies": await manager.getRepository(SlaPolicy).count(),
      tickets: await manager.getRepository(Ticket).count(),
    };
    if (Object.values(counts).some((count) => count > 0)) throw new DemoDataPresentError(counts);

    await manager.getRepository(Agent).save(
      DEMO_AGENTS.map((agent, index) => ({ ...agent, passwordHash: agentHashes[index]!, status: "offline" as const, active: true })),
    );
    const products = new Map(
      (await manager.getRepository(Product).save(DEMO_PRODUCTS.map((product) => ({ ...product, active: true })))).map((product) => [product.code, product]),
    );
    const policies = new Map((await manager.getRepository(SlaPolicy).save(DEMO_SLA_POLICIES)).map((policy) => [policy.name, policy]));

    const summary: DemoDataSummary = { agents: DEMO_AGENTS.length, customers: 0, campuses: 0, referencePersons: 0, products: products.size, contracts: 0 };
    for (const demo of DEMO_CUSTOMERS) {
      const customer = await manager.getRepository(Customer).save({
        code: demo.code,
        name: demo.name,
        supplierName: demo.supplierName,
        supplierEmail: demo.supplierEmail,
      });
      const campuses = new Map(
        (await manager.getRepository(Campus).save(demo.campuses.map((campus) => ({ ...campus, customerId: customer.id })))).map((campus) => [campus.name, campus]),
      );
      await manager.getRepository(Contract).save({
        reference: demo.contract.reference,
        customerId: customer.id,
        ...contractTerms(demo.contract.kind, today),
        slaPolicyId: policies.get(demo.contract.slaPolicy)!.id,
        products: demo.contract.products.map((code) => products.get(code)!),
      });
      for (const person of demo.persons) {
        await manager.getRepository(ReferencePerson).save(
          manager.getRepository(ReferencePerson).create({
            customerId: customer.id,
            campusId: person.campus ? campuses.get(person.campus)!.id : null,
            role: person.role,
            firstName: person.firstName,
            lastName: person.lastName,
            email: person.email,
            language: person.language,
            pinHash: person.pin ? hashPin(person.pin, env.PIN_SECRET) : null,
            active: !person.inactive,
            phoneNumbers: person.phones.map((phone) => ({ e164: normalizePhoneNumber(phone.number), label: phone.label })),
          }),
        );
      }
      summary.customers++;
      summary.campuses += campuses.size;
      summary.referencePersons += demo.persons.length;
      summary.contracts++;
    }
    return summary;
  });
}
