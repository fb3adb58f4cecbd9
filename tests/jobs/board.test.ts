import { expect } from "chai";
import { startTestServer, type TestServer } from "../support/app.js";
import { resetDatabase } from "../support/database.js";
import { createAgent } from "./fixtures.js";

describe("job board", () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await startTestServer();
    await resetDatabase(server.context.dataSource);
  });
  afterEach(async () => {
    await server.close();
  });

  it("is refused without a session (401) and to agents and supervisors (403)", async () => {
    expect((await fetch(`${server.url}/admin/queues`)).status).to.equal(401);
    expect((await fetch(`${server.url}/admin/queues/api/queues`)).status).to.equal(401);
    for (const role of ["agent", "supervisor"] as const) {
      const { cookie } = await createAgent(server.context.dataSource, { role });
      const response = await fetch(`${server.url}/admin/queues/api/queues`, { headers: { cookie } });
      expect(response.status, role).to.equal(403);
    }
  });

  it("shows every queue to administrators, with a CSP that lets its own page work", async () => {
    const { cookie } = await createAgent(server.context.dataSource, { role: "admin" });
    const page = await fetch(`${server.url}/admin/queues`, { headers: { cookie } });
    expect(page.status).to.equal(200);
    expect(page.headers.get("content-type")).to.match(/text\/html/);
    const csp = page.headers.get("content-security-policy")!;
    expect(csp).to.contain("script-src 'self'").and.contain("https://fonts.googleapis.com");
    expect(csp).to.not.contain("unsafe-eval");
    const html = await page.text();
    const script = html.match(/<script defer src="([^"]+)"/)![1]!;
    expect((await fetch(new URL(script, `${server.url}/admin/queues/`), { headers: { cookie } })).status).to.equal(200);

    const api = await fetch(`${server.url}/admin/queues/api/queues`, { headers: { cookie } });
    expect(api.status).to.equal(200);
    const body = (await api.json()) as { queues: { name: string }[] };
    expect(body.queues.map((queue) => queue.name).sort()).to.deep.equal(["callbacks", "follow-ups", "maintenance", "remote-sessions", "sla"]);

    // Elsewhere the app's strict policy still applies.
    const elsewhere = await fetch(`${server.url}/healthz`);
    expect(elsewhere.headers.get("content-security-policy")).to.not.contain("fonts.googleapis.com");
  });
});
