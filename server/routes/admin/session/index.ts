import type { AppContext } from "../../../context.js";
import { agentPayload, presentAgent } from "../../../presenters/admin/agent.js";
import { ResourceRouter } from "../route-kit.js";
import { z } from "zod";

/** /api/admin/session: who is logged in, so the admin page can greet them or explain that their role has no access. */
export function sessionRoutes(_context: AppContext): ResourceRouter {
  const api = new ResourceRouter("/session", "Session");
  api.route({ method: "get", path: "/", summary: "The logged-in account and whether it may read or change administration", access: "any", response: z.object({ agent: agentPayload, canRead: z.boolean(), canWrite: z.boolean() }) }, ({ agent }) => ({
    agent: presentAgent(agent),
    canRead: agent.role === "admin" || agent.role === "supervisor",
    canWrite: agent.role === "admin",
  }));
  return api;
}
