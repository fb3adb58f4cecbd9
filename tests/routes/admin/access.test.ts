import { expect } from "chai";
import { AuditEntry } from "../../../entities/AuditEntry.js";
import type { TestServer } from "../../support/app.js";
import { call, loginAs, type AdminClient, startAdminSession } from "./helpers.js";

interface Operation {
  method: string;
  path: string;
  roles: string[];
}

describe("admin API access control", () => {
  let server: TestServer;
  let admin: AdminClient;
  let operations: Operation[];

  before(async () => {
    ({ server, admin } = await startAdminSession());
    const document = (await admin.get("/openapi.json")).body;
    operations = Object.entries(document.paths as Record<string, Record<string, { "x-required-role": string[] }>>).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({
        method: method.toUpperCase(),
        path: path.replace("/api/admin", "").replace("{id}", "1").replace("{kind}", "persons"),
        roles: operation["x-required-role"],
      })),
    );
  });
  after(async () => {
    await server.close();
  });

  it("documents at least one read and one write per resource", () => {
    expect(operations.filter((o) => o.method !== "GET").length).to.be.greaterThan(20);
  });

  it("answers 401 to every route without a login", async () => {
    for (const operation of [...operations, { method: "GET", path: "/openapi.json", roles: [] }]) {
      const answer = await call(server.url, operation.method, operation.path, { body: operation.method === "GET" ? undefined : {} });
      expect(answer.status, `${operation.method} ${operation.path}`).to.equal(401);
    }
  });

  it("answers 403 to an agent on every route, reads included (only its own session is readable)", async () => {
    const agent = await loginAs(server, "agent");
    for (const operation of operations) {
      const answer = await call(server.url, operation.method, operation.path, { cookie: agent.cookie, body: operation.method === "GET" ? undefined : {} });
      expect(answer.status, `${operation.method} ${operation.path}`).to.equal(operation.path === "/session" ? 200 : 403);
    }
    expect((await agent.get("/session")).body).to.deep.include({ canRead: false, canWrite: false });
  });

  it("lets a supervisor read but answers 403 to every write, which then leaves no trace", async () => {
    const supervisor = await loginAs(server, "supervisor");
    const auditBefore = await server.context.dataSource.getRepository(AuditEntry).count();
    for (const operation of operations) {
      const answer = await call(server.url, operation.method, operation.path, { cookie: supervisor.cookie, body: operation.method === "GET" ? undefined : { code: "X", name: "X" } });
      if (operation.roles.includes("supervisor")) expect(answer.status, `${operation.method} ${operation.path}`).to.be.oneOf([200, 400, 404]);
      else expect(answer.status, `${operation.method} ${operation.path}`).to.equal(403);
    }
    expect(await server.context.dataSource.getRepository(AuditEntry).count()).to.equal(auditBefore);
    expect((await supervisor.get("/customers")).body.total).to.equal(0);
  });

  it("requires the admin role for every write", () => {
    for (const operation of operations.filter((o) => o.method !== "GET")) expect(operation.roles, `${operation.method} ${operation.path}`).to.deep.equal(["admin"]);
  });
});
