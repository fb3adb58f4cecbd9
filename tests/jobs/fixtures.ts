import { randomBytes } from "node:crypto";
import type { DataSource } from "typeorm";
import { Agent } from "../../entities/Agent.js";
import { Contract } from "../../entities/Contract.js";
import { Customer } from "../../entities/Customer.js";
import type { AgentRole, Language } from "../../entities/enums.js";
import { PhoneNumber } from "../../entities/PhoneNumber.js";
import { ReferencePerson } from "../../entities/ReferencePerson.js";
import { SlaPolicy } from "../../entities/SlaPolicy.js";
import { Ticket } from "../../entities/Ticket.js";
import { openSession, SESSION_COOKIE } from "../../server/auth/sessions.js";
import type { BusinessCalendar } from "../../server/domain/business-hours.js";

let counter = 0;
const unique = () => `${Date.now().toString(36)}${++counter}${randomBytes(2).toString("hex")}`;

/** An agent (or supervisor/admin) with a logged-in session cookie. */
export async function createAgent(
  dataSource: DataSource,
  options: { role?: AgentRole; languages?: Language[]; status?: Agent["status"]; uiLanguage?: Agent["uiLanguage"]; name?: string } = {},
): Promise<{ agent: Agent; cookie: string }> {
  const agent = await dataSource.getRepository(Agent).save({
    email: `agent-${unique()}@example.test`,
    name: options.name ?? `Agent ${counter}`,
    passwordHash: "scrypt$00$00",
    role: options.role ?? "agent",
    languages: options.languages ?? ["nl", "en"],
    status: options.status ?? "offline",
    uiLanguage: options.uiLanguage ?? "en",
    active: true,
  });
  const { token } = await openSession(dataSource, agent.id, 1);
  return { agent, cookie: `${SESSION_COOKIE}=${encodeURIComponent(token)}` };
}

/** A customer with an SLA policy (business hours: first response 60 min, resolution 480 min for normal). */
export async function createCustomer(dataSource: DataSource, options: { twentyFourSeven?: boolean } = {}) {
  const policy = await dataSource.getRepository(SlaPolicy).save({
    name: `Policy ${unique()}`,
    twentyFourSeven: options.twentyFourSeven ?? false,
    targets: {
      critical: { firstResponseMinutes: 30, resolutionMinutes: 240 },
      high: { firstResponseMinutes: 60, resolutionMinutes: 480 },
      normal: { firstResponseMinutes: 60, resolutionMinutes: 480 },
      low: { firstResponseMinutes: 240, resolutionMinutes: 2400 },
    },
  });
  const customer = await dataSource.getRepository(Customer).save({ code: `C${unique()}`, name: "WZC Zonneschijn", supplierName: null, supplierEmail: null });
  await dataSource.getRepository(Contract).save({ reference: `K-${unique()}`, customerId: customer.id, validFrom: "2000-01-01", validTo: "2099-12-31", paid: true, slaPolicyId: policy.id });
  return { customer, policy };
}

/** A reference person of the customer with the given numbers (the first mobile one gets SMS). */
export async function createPerson(dataSource: DataSource, customerId: number, options: { language?: Language; numbers?: string[]; firstName?: string } = {}): Promise<ReferencePerson> {
  const person = await dataSource.getRepository(ReferencePerson).save({
    customerId,
    campusId: null,
    role: "general",
    firstName: options.firstName ?? "Marie",
    lastName: "Peeters",
    email: null,
    language: options.language ?? "nl",
    pinHash: null,
    active: true,
    erasedAt: null,
  });
  for (const e164 of options.numbers ?? ["+32470123456"]) await dataSource.getRepository(PhoneNumber).save({ personId: person.id, e164, label: null });
  return person;
}

/** A ticket row as given (status, due times...), numbered uniquely. */
export async function createTicket(dataSource: DataSource, values: Partial<Ticket> & { customerId: number | null }): Promise<Ticket> {
  const repository = dataSource.getRepository(Ticket);
  return repository.save(repository.create({ number: `T-${unique()}`.slice(0, 20), contactType: "incident", priority: "normal", status: "open", language: "nl", subject: "", ...values }));
}

/** The start of the next business day after today at hh:mm, desk time (independent of the time of day now). */
export function nextBusinessDayAt(calendar: BusinessCalendar, hour: number, minute = 0, skipDays = 1): Date {
  let date = calendar.localDate(new Date());
  let found = 0;
  for (let i = 0; i < 30; i++) {
    date = new Date(new Date(`${date}T12:00:00Z`).getTime() + 86_400_000).toISOString().slice(0, 10);
    const window = calendar.windowOn(date);
    if (window && ++found >= skipDays) {
      const start = window.start;
      const opening = Number(calendar.settings.opensAt.slice(0, 2)) * 60 + Number(calendar.settings.opensAt.slice(3));
      return new Date(start.getTime() + (hour * 60 + minute - opening) * 60_000);
    }
  }
  throw new Error("no business day within 30 days");
}

/** Polls until `check` returns a truthy value (or fails after `timeoutMs`). */
export async function eventually<T>(check: () => Promise<T | null | undefined | false>, timeoutMs = 5000, what = "condition"): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ""}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Runs one job of `name` with `data` through the real queue and workers, and waits until the queue is idle again. */
export async function runAndSettle(queue: import("bullmq").Queue, name: string, data: object, jobId: string): Promise<void> {
  await queue.add(name, data, { jobId });
  await eventually(async () => ["completed", "failed"].includes(await queue.getJobState(jobId)), 5000, jobId);
  await eventually(async () => {
    const counts = await queue.getJobCounts("waiting", "active", "prioritized", "waiting-children");
    return Object.values(counts).every((count) => count === 0);
  }, 5000, `${queue.name} idle`);
}
