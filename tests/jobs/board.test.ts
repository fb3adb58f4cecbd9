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

  it("sends a browser without a session to the admin login, and shows one without the role a page that says so", async () => {
    const html = { accept: "text/html,application/xhtml+xml,*/*;q=0.8" };
    const anonymous = await fetch(`${server.url}/admin/queues`, { headers: html, redirect: "manual" });
    expect(anonymous.status).to.equal(303);
    expect(anonymous.headers.get("location")).to.equal("/admin.html");
    const { cookie } = await createAgent(server.context.dataSource, { role: "supervisor", uiLanguage: "nl" });
    const refused = await fetch(`${server.url}/admin/queues`, { headers: { ...html, cookie } });
    expect(refused.status).to.equal(403);
    expect(refused.headers.get("content-type")).to.match(/text\/html/);
    const page = await refused.text();
    expect(page).to.contain("alleen voor beheerders").and.contain(`<a href="/">`);
    expect(page).to.not.contain("forbidden");
  });

  it("shows every queue to administrators, with a CSP that lets its own page work", async () => {
    const { cookie } = await createAgent(server.context.dataSource, { role: "admin" });
    const page = await fetch(`${server.url}/admin/queues`, { headers: { cookie } });
    expect(page.status).to.equal(200);
    expect(page.headers.get("content-type")).to.match(/text\/html/);
    const csp = page.headers.get("content-security-policy")!;
    expect(csp).to.contain("script-src 'self'").and.not.contain("https:");
    expect(csp).to.not.contain("unsafe-eval");
    const html = await page.text();
    // No Google Fonts: the desk may have no internet, and the board's page must load all the same.
    expect(html).to.not.match(/fonts\.(googleapis|gstatic)\.com/);
    expect(html).to.contain("Servicedesk jobs");
    const script = html.match(/<script defer src="([^"]+)"/)![1]!;
    expect((await fetch(new URL(script, `${server.url}/admin/queues/`), { headers: { cookie } })).status).to.equal(200);

    const api = await fetch(`${server.url}/admin/queues/api/queues`, { headers: { cookie } });
    expect(api.status).to.equal(200);
    const body = (await api.json()) as { queues: { name: string }[] };
    expect(body.queues.map((queue) => queue.name).sort()).to.deep.equal(["callbacks", "follow-ups", "imports", "maintenance", "remote-sessions", "sla"]);

    // Elsewhere the app's strict policy still applies.
    const elsewhere = await fetch(`${server.url}/healthz`);
    expect(elsewhere.headers.get("content-security-policy")).to.not.contain("fonts.googleapis.com");
  });
});
