import type { DataSource } from "typeorm";
import { Agent, Campus, Contract, Customer, PhoneNumber, Product, ReferencePerson, SlaPolicy } from "../../entities/index.js";
import type { AgentRole, Language, ReferenceRole } from "../../entities/enums.js";
import { hashPassword } from "../../server/auth/passwords.js";
import { hashPin } from "../../server/domain/pin.js";

let counter = 0;
const unique = (prefix: string) => `${prefix}-${process.pid}-${++counter}`;

export const TEST_PIN_SECRET = "dev-only-pin-secret-change-me";

/** Small builders for test data; every call makes fresh, unique rows. */
export function fixtures(dataSource: DataSource) {
  return {
    async customer(overrides: Partial<Customer> = {}) {
      return dataSource.getRepository(Customer).save({ code: unique("C"), name: "WZC Zonnebloem", supplierName: null, supplierEmail: null, ...overrides });
    },
    async campus(customer: Customer, overrides: Partial<Campus> = {}) {
      return dataSource.getRepository(Campus).save({ customerId: customer.id, name: unique("Campus"), city: "Gent", ...overrides });
    },
    async product(overrides: Partial<Product> = {}) {
      return dataSource.getRepository(Product).save({ code: unique("P"), name: "Zorgdossier", spokenNames: null, ...overrides });
    },
    async slaPolicy(overrides: Partial<SlaPolicy> = {}) {
      return dataSource.getRepository(SlaPolicy).save({
        name: unique("SLA"),
        twentyFourSeven: false,
        targets: {
          critical: { firstResponseMinutes: 30, resolutionMinutes: 240 },
          high: { firstResponseMinutes: 60, resolutionMinutes: 480 },
          normal: { firstResponseMinutes: 240, resolutionMinutes: 1530 },
          low: { firstResponseMinutes: 480, resolutionMinutes: 5100 },
        },
        ...overrides,
      });
    },
    async contract(customer: Customer, products: Product[], policy: SlaPolicy, overrides: Partial<Contract> = {}) {
      return dataSource.getRepository(Contract).save({
        reference: unique("MC"),
        customerId: customer.id,
        validFrom: "2020-01-01",
        validTo: "2099-12-31",
        paid: true,
        slaPolicyId: policy.id,
        products,
        ...overrides,
      });
    },
    async person(
      customer: Customer,
      options: { role?: ReferenceRole; campus?: Campus | null; phones?: string[]; pin?: string; language?: Language; firstName?: string; lastName?: string } = {},
    ) {
      const person = await dataSource.getRepository(ReferencePerson).save({
        customerId: customer.id,
        campusId: options.campus?.id ?? null,
        role: options.role ?? "general",
        firstName: options.firstName ?? "An",
        lastName: options.lastName ?? unique("Peeters"),
        email: null,
        language: options.language ?? "nl",
        pinHash: options.pin ? hashPin(options.pin, TEST_PIN_SECRET) : null,
      });
      for (const e164 of options.phones ?? []) await dataSource.getRepository(PhoneNumber).save({ personId: person.id, e164, label: null });
      return person;
    },
    async agent(options: { role?: AgentRole; languages?: Language[]; password?: string; name?: string; email?: string } = {}) {
      return dataSource.getRepository(Agent).save({
        email: options.email ?? `${unique("agent")}@care.test`,
        name: options.name ?? "Agent",
        passwordHash: await hashPassword(options.password ?? "correct horse battery"),
        role: options.role ?? "agent",
        languages: options.languages ?? ["nl"],
        status: "offline",
      });
    },
    /** A customer with one campus, a product under a paid valid contract, and one reference person on `phone`. */
    async entitledCaller(options: { phone?: string; language?: Language; pin?: string } = {}) {
      const customer = await this.customer();
      const campus = await this.campus(customer);
      const product = await this.product();
      const policy = await this.slaPolicy();
      const contract = await this.contract(customer, [product], policy);
      const person = await this.person(customer, { role: "campus", campus, phones: [options.phone ?? "+32470123456"], language: options.language ?? "nl", pin: options.pin });
      return { customer, campus, product, policy, contract, person };
    },
  };
}
