import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect } from "chai";
import { ReferencePerson } from "../../entities/ReferencePerson.js";
import { browserTestBed, logInThroughForm } from "../browser/browser.js";
import { loginAs, seedCustomer } from "../routes/admin/helpers.js";
import { api, login } from "../routes/console/helpers.js";
import { startTestServer, type TestServer } from "../support/app.js";
import { resetDatabase } from "../support/database.js";
import { deskFetch } from "../support/desk-fetch.js";
import { fixtures } from "../support/fixtures.js";

const CSV = "customer;campus;role;firstName;lastName;email;language;phones;pin\nZORG-X;;general;Eve;Forged;;nl;0470 99 88 77;\n";

/** Another origin on the same host (another port): same site, so the desk's SameSite=Lax cookie goes along. */
async function foreignSite(deskUrl: string): Promise<{ url: string; close(): Promise<void> }> {
  const page = `<!doctype html><html><body>
<iframe name="sink"></iframe>
<form id="import" method="POST" action="${deskUrl}/api/admin/imports/persons" enctype="text/plain" target="sink">
  <input type="hidden" name="${CSV.replaceAll('"', "&quot;").replaceAll("\n", "&#10;")}" value="">
</form>
<form id="logout" method="POST" action="${deskUrl}/api/auth/logout" target="sink"></form>
<script>
  window.attack = async () => {
    // The answer is opaque (and Cross-Origin-Resource-Policy blocks it): the request is what counts.
    await fetch("${deskUrl}/api/admin/imports/persons", { method: "POST", mode: "no-cors", credentials: "include", headers: { "content-type": "text/plain" }, body: ${JSON.stringify(CSV)} }).catch(() => undefined);
    document.getElementById("import").submit();
    await new Promise((resolve) => setTimeout(resolve, 300));
    document.getElementById("logout").submit();
    await new Promise((resolve) => setTimeout(resolve, 300));
    return "done";
  };
</script></body></html>`;
  const server = http.createServer((_req, res) => res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(page));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

describe("state-changing requests only from the desk's own pages (cross-site request forgery)", function () {
  this.timeout(60_000);

  describe("a foreign page in real Chromium, visited by a logged-in administrator", () => {
    const bed = browserTestBed([], { resetAfter: true });

    it("cannot import through a no-cors text/plain fetch nor a form post, nor log the administrator out", async () => {
      const setup = await loginAs(bed.server, "admin");
      await seedCustomer(setup, "ZORG-X");
      const admin = await fixtures(bed.server.context.dataSource).agent({ role: "admin", name: "Ada Admin" });
      const foreign = await foreignSite(bed.server.url);
      try {
        const context = await bed.newContext();
        const page = await context.newPage();
        await logInThroughForm(page, bed.server.url, admin.email);
        await page.waitForSelector("[data-testid=me-name]");
        const sent: string[] = [];
        const answers: number[] = [];
        context.on("request", (request) => {
          if (request.method() === "POST" && request.url().startsWith(bed.server.url)) sent.push(new URL(request.url()).pathname);
        });
        // Chromium reports no answer for the no-cors fetch it blocked (Cross-Origin-Resource-Policy), only for the forms.
        context.on("response", (response) => {
          if (response.request().method() === "POST" && response.url().startsWith(bed.server.url)) answers.push(response.status());
        });

        await page.goto(foreign.url);
        expect(await page.evaluate(() => (window as unknown as { attack(): Promise<string> }).attack())).to.equal("done");
        await page.waitForTimeout(500);

        expect(sent.sort()).to.deep.equal(["/api/admin/imports/persons", "/api/admin/imports/persons", "/api/auth/logout"]);
        expect(answers.length).to.be.greaterThan(0);
        expect(answers.every((status) => status === 403), String(answers)).to.equal(true);
        expect(await bed.server.context.dataSource.getRepository(ReferencePerson).count({ where: { lastName: "Forged" } })).to.equal(0);

        // Still logged in, and the desk's own pages still change things.
        await page.goto(bed.server.url);
        await page.waitForSelector("[data-testid=me-name]");
        const cookie = (await context.cookies(bed.server.url)).find((c) => c.name === "sd_session")!;
        expect((await api(bed.server.url, `sd_session=${cookie.value}`, "PATCH", "/api/me", { uiLanguage: "fr" })).status).to.equal(200);
      } finally {
        await foreign.close();
      }
    });
  });

  describe("over HTTP", () => {
    let server: TestServer;
    let cookie: string;
    before(async () => {
      server = await startTestServer();
      await resetDatabase(server.context.dataSource);
      const agent = await fixtures(server.context.dataSource).agent({ role: "admin" });
      cookie = await login(server.url, agent.email);
    });
    after(async () => {
      await server.close();
      await resetDatabase(server.context.dataSource);
    });

    const patchMe = (headers: Record<string, string>, body = JSON.stringify({ uiLanguage: "en" })) =>
      fetch(`${server.url}/api/me`, { method: "PATCH", headers: { cookie, "content-type": "application/json", ...headers }, body });

    it("refuses a write without Origin and Referer, from a foreign or null Origin, or a foreign Referer (403 foreign_origin)", async () => {
      for (const headers of [{}, { origin: "null" }, { origin: "http://evil.example" }, { origin: `http://127.0.0.1:${server.port + 1}` }, { referer: "http://evil.example/page" }, { referer: "not a url" }] as Record<string, string>[]) {
        const answer = await patchMe(headers);
        expect(answer.status, JSON.stringify(headers)).to.equal(403);
        expect((await answer.json()).error).to.include({ id: "foreign_origin", field: "origin" });
      }
    });

    it("accepts the desk's own Origin, or its Referer when a browser sent no Origin; reads need neither", async () => {
      expect((await patchMe({ origin: new URL(server.url).origin })).status).to.equal(200);
      expect((await patchMe({ referer: `${server.url}/#/tickets` })).status).to.equal(200);
      expect((await fetch(`${server.url}/api/me`, { headers: { cookie } })).status).to.equal(200);
    });

    it("answers 415 naming the content type when a body is not the type its route expects", async () => {
      const cases: [string, string, string, string][] = [
        ["PATCH", "/api/me", "text/plain", '{"uiLanguage":"en"}'],
        ["PATCH", "/api/me", "application/x-www-form-urlencoded", "uiLanguage=en"],
        ["POST", "/api/auth/login", "text/plain", '{"email":"a@b.c","password":"x"}'],
        ["POST", "/api/admin/customers", "text/plain", '{"code":"X","name":"X"}'],
        ["POST", "/api/admin/imports/persons?dryRun=true", "application/json", '{"csv":"a;b"}'],
        ["POST", "/api/admin/imports/persons?dryRun=true", "text/plain", CSV],
      ];
      for (const [method, path, type, body] of cases) {
        const answer = await deskFetch(`${server.url}${path}`, { method, headers: { cookie, "content-type": type }, body });
        expect(answer.status, `${method} ${path} as ${type}`).to.equal(415);
        const error = (await answer.json()).error;
        expect(error).to.include({ id: "unsupported_media_type", field: "content-type" });
        expect(error.message).to.contain(type);
      }
      const untyped = await deskFetch(`${server.url}/api/me`, { method: "PATCH", headers: { cookie }, body: new Uint8Array(Buffer.from('{"uiLanguage":"en"}')) });
      expect(untyped.status).to.equal(415);
      expect((await deskFetch(`${server.url}/api/admin/imports/persons?dryRun=true`, { method: "POST", headers: { cookie, "content-type": "text/csv" }, body: CSV })).status).to.equal(200);
      // A write without a body needs no type.
      expect((await deskFetch(`${server.url}/api/auth/logout`, { method: "POST", headers: { cookie: "sd_session=none" } })).status).to.equal(204);
    });
  });
});
