import { expect } from "chai";
import type { TestServer } from "../../support/app.js";
import { type AdminClient, startAdminSession } from "./helpers.js";

describe("admin OpenAPI document", () => {
  let server: TestServer;
  let admin: AdminClient;
  let document: any;

  before(async () => {
    ({ server, admin } = await startAdminSession());
    document = (await admin.get("/openapi.json")).body;
  });
  after(async () => {
    await server.close();
  });

  it("is OpenAPI 3.1 with the cookie session scheme", () => {
    expect(document.openapi).to.equal("3.1.0");
    expect(document.components.securitySchemes.session).to.include({ type: "apiKey", in: "cookie", name: "sd_session" });
  });

  it("describes every resource with list, create, read, change and delete", () => {
    for (const resource of ["customers", "campuses", "persons", "products", "contracts", "sla-policies", "agents"]) {
      expect(Object.keys(document.paths[`/api/admin/${resource}`]), resource).to.have.members(["get", "post"]);
      expect(Object.keys(document.paths[`/api/admin/${resource}/{id}`]), resource).to.have.members(["get", "patch", "delete"]);
    }
    expect(document.paths["/api/admin/persons/{id}/pin"]).to.have.keys(["put", "delete"]);
    expect(document.paths["/api/admin/persons/{id}/erase"]).to.have.key("post");
    expect(document.paths["/api/admin/imports/{kind}"].post.requestBody.content).to.have.key("text/csv");
    expect(document.paths["/api/admin/reports/reference-completeness"]).to.have.key("get");
  });

  it("derives request schemas from the zod schemas, with required fields and limits", () => {
    const schema = document.paths["/api/admin/persons"].post.requestBody.content["application/json"].schema;
    expect(schema.required).to.include.members(["customerId", "role", "firstName", "lastName"]);
    expect(schema.properties.firstName).to.include({ type: "string", maxLength: 100 });
    expect(schema.properties.role.enum).to.deep.equal(["campus", "general", "technical"]);
    expect(schema.additionalProperties).to.equal(false);
    const list = document.paths["/api/admin/persons"].get.parameters.map((p: { name: string }) => p.name);
    expect(list).to.include.members(["page", "pageSize", "q", "customerId", "role"]);
    const response = document.paths["/api/admin/persons/{id}"].get.responses["200"].content["application/json"].schema;
    expect(response.properties).to.include.keys(["hasPin", "phoneNumbers"]);
    expect(response.properties).not.to.have.key("pinHash");
    const agent = document.paths["/api/admin/agents/{id}"].get.responses["200"].content["application/json"].schema;
    expect(agent.properties).not.to.have.key("passwordHash");
  });

  it("documents errors: 400 for input, 404 for ids, 409 for conflicts", () => {
    const responses = document.paths["/api/admin/customers"].post.responses;
    expect(responses).to.include.keys(["201", "400", "401", "403", "409"]);
    expect(document.paths["/api/admin/customers/{id}"].delete.responses).to.include.keys(["204", "404", "409"]);
  });
});
