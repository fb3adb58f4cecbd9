import { gzipSync } from "node:zlib";
import { expect } from "chai";
import twilio from "twilio";
import { Call } from "../../entities/Call.js";
import { createApp } from "../../server/app.js";
import { openSession } from "../../server/auth/sessions.js";
import { parseTwiml } from "../../server/twilio/simulator.js";
import { startTestServer, TEST_AUTH_TOKEN, type TestServer } from "../support/app.js";
import { resetDatabase } from "../support/database.js";
import { fixtures } from "../support/fixtures.js";
import { walkApp } from "./route-walk.js";
import { deskFetch } from "../support/desk-fetch.js";

const KB = 1024;

/**
 * Every body parser of the app, its limit, and a route behind it to try it on. The first test compares this with
 * the parsers walked out of the routers, so a new parser cannot arrive without its limit being tested here.
 */
const PARSERS: Record<string, { limit: number; method: string; path: string; type: string; as: "admin" | null }> = {
  "USE /twilio urlencodedParser": { limit: 16 * KB, method: "POST", path: "/twilio/voice", type: "application/x-www-form-urlencoded", as: null },
  "USE /sim jsonParser": { limit: 10 * KB, method: "POST", path: "/sim/calls", type: "application/json", as: "admin" },
  "USE /api/admin jsonParser": { limit: 200 * KB, method: "POST", path: "/api/admin/customers", type: "application/json", as: "admin" },
  "USE /api jsonParser": { limit: 100 * KB, method: "PATCH", path: "/api/tickets/1", type: "application/json", as: "admin" },
  // Not a parser that buffers: it checks the headers, and the route streams the body (limitedBytes counts it).
  "POST /api/admin/imports/:kind csvUploadParser": { limit: 20 * KB * KB, method: "POST", path: "/api/admin/imports/persons?dryRun=true", type: "text/csv", as: "admin" },
  // bull-board's own parser (express.json default).
  "USE /admin/queues jsonParser": { limit: 100 * KB, method: "PUT", path: "/admin/queues/api/queues/none/pause", type: "application/json", as: "admin" },
};

/** A body of exactly `bytes` bytes in the parser's media type. */
function bodyOf(type: string, bytes: number): string {
  if (type === "application/json") return `{"x":"${"a".repeat(bytes - 8)}"}`;
  if (type === "text/csv") return `a\n${"b".repeat(bytes - 2)}`;
  return `CallSid=CA${"0".repeat(32)}&Padding=${"p".repeat(bytes - 51)}`;
}

describe("request size limits", function () {
  this.timeout(60_000);
  let server: TestServer;
  let adminCookie: string;

  before(async () => {
    server = await startTestServer();
    await resetDatabase(server.context.dataSource);
    const admin = await fixtures(server.context.dataSource).agent({ role: "admin" });
    adminCookie = `sd_session=${(await openSession(server.context.dataSource, admin.id, 1)).token}`;
  });
  after(async () => {
    await server.close();
    await resetDatabase(server.context.dataSource);
  });

  const send = async (method: string, path: string, body: string | Buffer, headers: Record<string, string>) => {
    const response = await deskFetch(server.url + path, { method, headers, body: body as BodyInit });
    const text = await response.text();
    let json: { error?: { id?: string } } | null = null;
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
    return { status: response.status, text, errorId: json?.error?.id ?? null };
  };

  it("knows every body parser the app mounts", () => {
    const walked = walkApp(createApp(server.context)).parsers.map((parser) => `${parser.where} ${parser.name}`);
    expect(walked.sort()).to.deep.equal(Object.keys(PARSERS).sort());
  });

  for (const [where, parser] of Object.entries(PARSERS)) {
    it(`answers 413 one byte over the ${parser.limit / KB} kB limit of ${where}, and reads a body just under it`, async () => {
      const headers = { "content-type": parser.type, ...(parser.as ? { cookie: adminCookie } : {}) };
      const over = await send(parser.method, parser.path, bodyOf(parser.type, parser.limit + 1), headers);
      expect(over.status, over.text.slice(0, 200)).to.equal(413);
      if (!where.includes("/admin/queues")) expect(over.errorId).to.equal("too_large");
      const under = await send(parser.method, parser.path, bodyOf(parser.type, parser.limit - 1024), headers);
      expect(under.status, under.text.slice(0, 200)).to.not.equal(413);
      expect(under.status).to.be.below(500);
    });
  }

  it("answers 413 to an oversized body before checking who sends it (no login, unsigned webhook)", async () => {
    const api = await send("PATCH", "/api/tickets/1", bodyOf("application/json", 101 * KB), { "content-type": "application/json" });
    expect(api).to.include({ status: 413, errorId: "too_large" });
    const webhook = await send("POST", "/twilio/voice", bodyOf("application/x-www-form-urlencoded", 17 * KB), { "content-type": "application/x-www-form-urlencoded" });
    expect(webhook.status).to.equal(413);
    expect(await server.context.dataSource.getRepository(Call).countBy({ callSid: `CA${"0".repeat(32)}` })).to.equal(0);
  });

  it("measures the limit after decompression: a small gzip bomb is 413, not memory", async () => {
    const bomb = gzipSync(Buffer.alloc(10 * KB * KB, "a"));
    expect(bomb.length).to.be.below(20 * KB);
    const api = await send("PATCH", "/api/tickets/1", bomb, { "content-type": "application/json", "content-encoding": "gzip", cookie: adminCookie });
    expect(api).to.include({ status: 413, errorId: "too_large" });
    const webhook = await send("POST", "/twilio/voice", bomb, { "content-type": "application/x-www-form-urlencoded", "content-encoding": "gzip" });
    expect(webhook.status).to.equal(413);
  });

  it("answers 413 to a webhook with more than 100 parameters", async () => {
    const form = Array.from({ length: 120 }, (_, i) => `K${i}=v`).join("&");
    expect((await send("POST", "/twilio/voice", form, { "content-type": "application/x-www-form-urlencoded" })).status).to.equal(413);
  });

  it("answers malformed, wrongly encoded and unsupported bodies with a 4xx JSON error, never a 5xx", async () => {
    const cases: [string, string | Buffer, Record<string, string>, number][] = [
      ["/api/tickets/1", "{not json", { "content-type": "application/json" }, 400],
      ["/api/tickets/1", "{}", { "content-type": "application/json; charset=iso-8859-1" }, 415],
      ["/api/tickets/1", "{}", { "content-type": "application/json", "content-encoding": "compress" }, 415],
      ["/api/tickets/1", "{}", { "content-type": "application/json", "content-encoding": "gzip" }, 400],
      ["/api/admin/customers", "[1,2", { "content-type": "application/json" }, 400],
      ["/sim/calls", "\u0000\u0001", { "content-type": "application/json" }, 400],
    ];
    for (const [path, body, headers, expected] of cases) {
      const answer = await send(path.startsWith("/api/tickets") ? "PATCH" : "POST", path, body, { ...headers, cookie: adminCookie });
      expect(answer.status, `${path} ${JSON.stringify(headers)}`).to.equal(expected);
      expect(answer.errorId, `${path} ${JSON.stringify(headers)}`).to.be.a("string");
    }
    for (const headers of [{ "content-type": "application/x-www-form-urlencoded", "content-encoding": "gzip" }, { "content-type": "application/x-www-form-urlencoded; charset=utf-16" }] as Record<string, string>[]) {
      const answer = await send("POST", "/twilio/status", "CallSid=CA1", headers);
      expect(answer.status).to.be.within(400, 499);
    }
  });

  it("answers a signed webhook whose body is not a form with TwiML, not a 500 (found by the fuzz test on /twilio/queue/exit)", async () => {
    for (const path of ["/twilio/queue/exit?lang=de", "/twilio/queue/wait", "/twilio/voice", "/twilio/status"]) {
      const url = server.url + path;
      const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json", "x-twilio-signature": twilio.getExpectedTwilioSignature(TEST_AUTH_TOKEN, url, {}) }, body: '{"QueueResult":"hangup"}' });
      expect(response.status, path).to.equal(200);
      const twiml = parseTwiml(await response.text());
      expect(twiml.name).to.equal("Response");
    }
  });
});
