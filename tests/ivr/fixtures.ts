import { randomBytes } from "node:crypto";
import twilio from "twilio";
import type { DataSource } from "typeorm";
import { Agent } from "../../entities/Agent.js";
import { Call } from "../../entities/Call.js";
import { CallEvent } from "../../entities/CallEvent.js";
import { Campus } from "../../entities/Campus.js";
import { Contract } from "../../entities/Contract.js";
import { Customer } from "../../entities/Customer.js";
import type { Language } from "../../entities/enums.js";
import { OutboxMessage } from "../../entities/OutboxMessage.js";
import { Product } from "../../entities/Product.js";
import { ReferencePerson } from "../../entities/ReferencePerson.js";
import { SlaPolicy } from "../../entities/SlaPolicy.js";
import { hashPin } from "../../server/domain/pin.js";
import { RedisQueueRegistry, TwilioSimulator, type SimCall, type SimQueueRegistry } from "../../server/twilio/simulator.js";
import { RedisSoftphoneBus } from "../../server/twilio/softphone-bus.js";
import { startTestServer, TEST_AUTH_TOKEN, type TestServer } from "../support/app.js";
import { testDataSource } from "../support/database.js";

/** PIN_SECRET of the test servers (parseEnv default). */
export const PIN_SECRET = "dev-only-pin-secret-change-me";

/** Wednesday 11 March 2026, 10:00 in Brussels: the desk is open. */
export const OPEN_NOW = new Date("2026-03-11T09:00:00Z");
/** The same Wednesday at 20:00 in Brussels: closed. */
export const EVENING_NOW = new Date("2026-03-11T19:00:00Z");
/** Christmas Day 2026 (a Friday), 10:00 in Brussels: a Belgian public holiday, closed. */
export const HOLIDAY_NOW = new Date("2026-12-25T09:00:00Z");

export const DESK = "+3232000000";

let counter = 0;
const unique = () => `${process.pid}-${Date.now().toString(36)}-${++counter}`;

export interface PersonFixture {
  person: ReferencePerson;
  phone: string | null;
  pin: string;
}

/** Fixture builder: customers, contracts, products and reference persons made by each test itself. */
export class IvrFixtures {
  constructor(readonly dataSource: DataSource) {}

  async policy(): Promise<SlaPolicy> {
    return this.dataSource.getRepository(SlaPolicy).save({
      name: `Test policy ${unique()}`,
      twentyFourSeven: false,
      targets: {
        critical: { firstResponseMinutes: 30, resolutionMinutes: 480 },
        high: { firstResponseMinutes: 60, resolutionMinutes: 960 },
        normal: { firstResponseMinutes: 240, resolutionMinutes: 2400 },
        low: { firstResponseMinutes: 480, resolutionMinutes: 4800 },
      },
    });
  }

  async product(name: string, spokenNames: Partial<Record<Language, string>> | null = null): Promise<Product> {
    return this.dataSource.getRepository(Product).save({ code: `P-${unique()}`, name, spokenNames, active: true });
  }

  /** A customer with one campus and (unless `contract` is null) a contract over `products`. */
  async customer(options: { products?: Product[]; contract?: { paid: boolean; validFrom: string; validTo: string } | null } = {}): Promise<{ customer: Customer; campus: Campus }> {
    const customer = await this.dataSource.getRepository(Customer).save({ code: `C-${unique()}`, name: `Zorggroep ${unique()}` });
    const campus = await this.dataSource.getRepository(Campus).save({ customerId: customer.id, name: `Campus ${unique()}`, city: "Gent" });
    const contract = options.contract === undefined ? { paid: true, validFrom: "2026-01-01", validTo: "2026-12-31" } : options.contract;
    if (contract) {
      const policy = await this.policy();
      await this.dataSource.getRepository(Contract).save({
        reference: `K-${unique()}`,
        customerId: customer.id,
        ...contract,
        slaPolicyId: policy.id,
        products: options.products ?? [await this.product("Zorgdossier")],
      });
    }
    return { customer, campus };
  }

  /** A reference person with (optionally) a registered phone number and a PIN. */
  async person(customer: Customer, options: { firstName?: string; lastName?: string; language?: Language; phone?: string | null; pin?: string } = {}): Promise<PersonFixture> {
    const pin = options.pin ?? String(100000 + Math.floor(Math.random() * 899999));
    const repository = this.dataSource.getRepository(ReferencePerson);
    const person = await repository.save(
      repository.create({
        customerId: customer.id,
        role: "general",
        firstName: options.firstName ?? "Jan",
        lastName: options.lastName ?? "Peeters",
        language: options.language ?? "nl",
        pinHash: hashPin(pin, PIN_SECRET),
        active: true,
        phoneNumbers: options.phone === null ? [] : [{ e164: options.phone ?? randomMobile(), label: "mobile" }],
      }),
    );
    return { person, phone: options.phone === null ? null : (person.phoneNumbers[0]?.e164 ?? null), pin };
  }

  async agent(options: { phoneNumber?: string | null } = {}): Promise<Agent> {
    return this.dataSource.getRepository(Agent).save({
      email: `agent-${unique()}@example.test`,
      name: "Test Agent",
      passwordHash: "x:y",
      role: "agent",
      languages: ["nl", "fr", "en", "de"],
      status: "available",
      phoneNumber: options.phoneNumber ?? null,
      active: true,
    });
  }

  async call(callSid: string): Promise<Call> {
    return this.dataSource.getRepository(Call).findOneByOrFail({ callSid });
  }

  async events(callSid: string): Promise<CallEvent[]> {
    const call = await this.call(callSid);
    return this.dataSource.getRepository(CallEvent).find({ where: { callId: call.id }, order: { id: "ASC" } });
  }
}

/** A Belgian mobile number nobody else in the test database has. */
export function randomMobile(): string {
  return `+32479${String(Math.floor(Math.random() * 1_000_000)).padStart(6, "0")}`;
}

/** The simulator aimed at a test server, signing with the test auth token. */
export function simulatorFor(server: TestServer, queues: SimQueueRegistry = new RedisQueueRegistry(server.context.redis, server.context.env.REDIS_PREFIX), options: { clock?: () => number } = {}): TwilioSimulator {
  // Its queues in the server's Redis: the simulated REST client dequeues only a caller who waits there, as Twilio does.
  // Its softphones too: a <Dial><Client> rings only a console that registered (tests/support/softphone.ts).
  const softphones = new RedisSoftphoneBus(server.context.redis, server.context.env.REDIS_PREFIX);
  return new TwilioSimulator({ authToken: TEST_AUTH_TOKEN, voiceUrl: `${server.url}/twilio/voice`, statusUrl: `${server.url}/twilio/status`, queues, softphones, ...options });
}

/** The texts said since the given index (what the caller heard in reply to their last action). */
export function saidSince(call: SimCall, from: number): string[] {
  return call.heard.slice(from).filter((line) => line.kind === "say").map((line) => line.text);
}

/** Posts form parameters signed like Twilio (signature over `signUrl`, default the URL posted to). */
export async function signedPost(url: string, params: Record<string, string>, options: { token?: string; signUrl?: string; signature?: string | null } = {}): Promise<{ status: number; body: string }> {
  const signature = options.signature === undefined ? twilio.getExpectedTwilioSignature(options.token ?? TEST_AUTH_TOKEN, options.signUrl ?? url, params) : options.signature;
  const response = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", ...(signature === null ? {} : { "X-Twilio-Signature": signature }) },
    body: new URLSearchParams(params).toString(),
  });
  return { status: response.status, body: await response.text() };
}

/** Parameters Twilio posts with every request of an inbound call. */
export function callParams(callSid: string, from: string, extra: Record<string, string> = {}): Record<string, string> {
  return { AccountSid: `AC${"0".repeat(32)}`, CallSid: callSid, From: from, To: DESK, Caller: from, Called: DESK, CallStatus: "in-progress", Direction: "inbound", ...extra };
}

/** A fresh CallSid. */
export function newCallSid(): string {
  return `CA${randomBytes(16).toString("hex")}`;
}

/** Outbox messages about one call (call.updated, call.ended, voicemail.recorded). */
export async function outboxFor(dataSource: DataSource, callId: number): Promise<OutboxMessage[]> {
  const rows = await dataSource.getRepository(OutboxMessage).find({ order: { id: "ASC" } });
  return rows.filter((row) => (row.payload as { callId?: number }).callId === callId);
}

/** A test server on the IVR clock `now`, with fixtures and a signing simulator aimed at it. */
export async function startIvrBed(now: Date = OPEN_NOW): Promise<{ server: TestServer; fx: IvrFixtures; sim: TwilioSimulator }> {
  const server = await startTestServer();
  server.context.now = () => now;
  return { server, fx: new IvrFixtures(await testDataSource()), sim: simulatorFor(server) };
}
