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
    expect(body).to.deep.include({ status: "ready", down: [] });
  });

  it("answers /readyz with 503 naming redis when Redis does not answer", async () => {
    server.context.redis.disconnect();
    const response = await fetch(`${server.url}/readyz`);
    expect(response.status).to.equal(503);
    const body = await response.json();
    expect(body.down).to.deep.equal(["redis"]);
  });
});
