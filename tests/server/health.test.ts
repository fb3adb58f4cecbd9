import { expect } from "chai";
import { startTestServer, type TestServer } from "../support/app.js";

describe("health endpoints", () => {
  let server: TestServer;
  beforeEach(async () => {
    server = await startTestServer();
  });
  afterEach(async () => {
    await server.close();
  });

  it("answers /healthz with 200 while the process is up", async () => {
    const response = await fetch(`${server.url}/healthz`);
    expect(response.status).to.equal(200);
  });

  it("answers /readyz with 200 and JSON when database and Redis answer", async () => {
    const response = await fetch(`${server.url}/readyz`);
    expect(response.status).to.equal(200);
    const body = await response.json();
    expect(body).to.deep.equal({ status: "ready" });
  });

  it("answers /readyz with a bare 503 when Redis does not answer: no component, no error text", async () => {
    server.context.redis.disconnect();
    const response = await fetch(`${server.url}/readyz`);
    expect(response.status).to.equal(503);
    const text = await response.text();
    expect(JSON.parse(text)).to.deep.equal({ status: "unavailable" });
    expect(text).not.to.match(/redis|connection|closed|error/i);
  });

});
