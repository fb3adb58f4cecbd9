import { deskFetch } from "../../support/desk-fetch.js";
import type { TestServer } from "../../support/app.js";
import { fixtures } from "../../support/fixtures.js";
import { login } from "../console/helpers.js";

/** A client of the phone simulator's API as its page is one: logged in to the desk, from the desk's own origin. */
export interface SimClient {
  cookie: string;
  post(path: string, body?: unknown): Promise<Response>;
  get(path: string): Promise<Response>;
}

/** Creates an agent account, logs it in through POST /api/auth/login, and sends its cookie and the desk's Origin (PUBLIC_BASE_URL's) to /sim. */
export async function simClient(server: TestServer): Promise<SimClient> {
  const agent = await fixtures(server.context.dataSource).agent();
  const origin = new URL(server.context.baseUrl).origin;
  const cookie = await login(server.url, agent.email, undefined, origin);
  return {
    cookie,
    post: (path, body = {}) => deskFetch(`${server.url}${path}`, { method: "POST", headers: { cookie, "content-type": "application/json" }, body: JSON.stringify(body) }, origin),
    get: (path) => deskFetch(`${server.url}${path}`, { headers: { cookie } }, origin),
  };
}
