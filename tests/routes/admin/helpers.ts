import { Agent } from "../../../entities/Agent.js";
import type { AgentRole } from "../../../entities/enums.js";
import { hashPassword } from "../../../server/auth/passwords.js";
import { openSession } from "../../../server/auth/sessions.js";
import { resetDatabase } from "../../support/database.js";
import { startTestServer, type TestServer } from "../../support/app.js";
import { deskFetch } from "../../support/desk-fetch.js";

/** A JSON answer of the API. */
export interface ApiAnswer {
  status: number;
  body: any;
  headers: Headers;
}

/** A logged-in client of the admin API. */
export interface AdminClient {
  agent: Agent;
  cookie: string;
  get(path: string): Promise<ApiAnswer>;
  post(path: string, body?: unknown): Promise<ApiAnswer>;
  patch(path: string, body: unknown): Promise<ApiAnswer>;
  put(path: string, body: unknown): Promise<ApiAnswer>;
  del(path: string): Promise<ApiAnswer>;
  /** Sends raw text (CSV) with the given content type. */
  send(method: string, path: string, text: string, contentType?: string): Promise<ApiAnswer>;
}

const PASSWORD = "correct horse battery staple";

/**
 * Starts the app on an empty database; close() also empties it again, so later test files start clean. The
 * imports queue's worker runs in it (a CSV import is a BullMQ job); the other queues' do not.
 */
export async function startAdminServer(): Promise<TestServer> {
  const server = await startTestServer({}, { workers: ["imports"] });
  await resetDatabase(server.context.dataSource);
  const close = server.close.bind(server);
  return Object.assign(server, {
    async close() {
      await close();
      await resetDatabase(server.context.dataSource);
    },
  });
}

/** Calls the API at `url` with an optional session cookie. */
export async function call(url: string, method: string, path: string, options: { cookie?: string; body?: unknown; text?: string; contentType?: string } = {}): Promise<ApiAnswer> {
  const headers: Record<string, string> = {};
  if (options.cookie) headers.cookie = options.cookie;
  let body: string | undefined;
  if (options.text !== undefined) {
    body = options.text;
    headers["content-type"] = options.contentType ?? "text/csv; charset=utf-8";
  } else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers["content-type"] = "application/json";
  }
  const response = await deskFetch(`${url}/api/admin${path}`, { method, headers, body });
  const raw = await response.text();
  let parsed: unknown = raw;
  try {
    parsed = raw ? JSON.parse(raw) : null;
  } catch {
    // not JSON (CSV template): keep the text
  }
  return { status: response.status, body: parsed, headers: response.headers };
}

let agentCounter = 0;

/** A server on the admin test settings, and an admin client logged in to it. */
export async function startAdminSession(): Promise<{ server: TestServer; admin: AdminClient }> {
  const server = await startAdminServer();
  return { server, admin: await loginAs(server, "admin") };
}

/**
 * Creates an account of the role and logs it in: through POST /api/auth/login when that route exists,
 * otherwise by opening a session directly.
 */
export async function loginAs(server: TestServer, role: AgentRole): Promise<AdminClient> {
  const repository = server.context.dataSource.getRepository(Agent);
  const agent = await repository.save(
    repository.create({ email: `${role}${++agentCounter}-${process.pid}@care.test`, name: `Test ${role} ${agentCounter}`, passwordHash: await hashPassword(PASSWORD), role, languages: ["nl", "fr"], active: true }),
  );
  let cookie: string | undefined;
  const login = await deskFetch(`${server.url}/api/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: agent.email, password: PASSWORD }) });
  const setCookie = login.headers.get("set-cookie");
  if (login.ok && setCookie?.includes("sd_session=")) cookie = setCookie.split(";")[0]!;
  if (!cookie) cookie = `sd_session=${(await openSession(server.context.dataSource, agent.id, 1)).token}`;
  const client = (method: string) => (path: string, body?: unknown) => call(server.url, method, path, { cookie, body });
  return {
    agent,
    cookie,
    get: client("GET"),
    post: client("POST"),
    patch: client("PATCH"),
    put: client("PUT"),
    del: client("DELETE"),
    send: (method, path, text, contentType) => call(server.url, method, path, { cookie, text, contentType }),
  };
}

/** A standard SLA policy body. */
export function slaPolicyBody(name = "Standard") {
  return {
    name,
    twentyFourSeven: false,
    targets: {
      critical: { firstResponseMinutes: 30, resolutionMinutes: 240 },
      high: { firstResponseMinutes: 60, resolutionMinutes: 480 },
      normal: { firstResponseMinutes: 240, resolutionMinutes: 1440 },
      low: { firstResponseMinutes: 480, resolutionMinutes: 2880 },
    },
  };
}

/** Creates a customer with campuses through the API and returns their ids. */
export async function seedCustomer(admin: AdminClient, code: string, campuses: string[] = []): Promise<{ customerId: number; campusIds: number[] }> {
  const customer = await admin.post("/customers", { code, name: `Customer ${code}` });
  if (customer.status !== 201) throw new Error(`customer: ${customer.status} ${JSON.stringify(customer.body)}`);
  const campusIds: number[] = [];
  for (const name of campuses) {
    const campus = await admin.post("/campuses", { customerId: customer.body.id, name, city: "Antwerpen" });
    if (campus.status !== 201) throw new Error(`campus: ${campus.status} ${JSON.stringify(campus.body)}`);
    campusIds.push(campus.body.id);
  }
  return { customerId: customer.body.id, campusIds };
}
