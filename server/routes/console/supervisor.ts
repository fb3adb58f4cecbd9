import { Router } from "express";
import { z } from "zod";
import { MANUAL_AGENT_STATUSES } from "../../../entities/enums.js";
import { requireRole } from "../../auth/middleware.js";
import { agentStatusChanger } from "../../commands/agent-status-changer.js";
import type { AppContext } from "../../context.js";
import { validate } from "../../errors/validation.js";
import { presentAgent } from "../../presenters/agent.js";
import { loadSupervisorMetrics } from "../../realtime/supervisor-metrics.js";
import { idParam, SUPERVISOR_ROLES } from "./params.js";

/**
 * Supervisor API: GET /api/supervisor/metrics (the live figures; afterwards the socket pushes them) and
 * PUT /api/supervisor/agents/:id/status (e.g. set an agent who left without logging out offline).
 */
export function supervisorRouter(context: AppContext): Router {
  const router = Router();
  router.use("/supervisor", requireRole(...SUPERVISOR_ROLES));

  router.get("/supervisor/metrics", async (_req, res) => {
    res.json({ metrics: await loadSupervisorMetrics(context) });
  });

  router.put("/supervisor/agents/:id/status", async (req, res) => {
    const { status } = validate(z.object({ status: z.enum(MANUAL_AGENT_STATUSES) }).strict(), req.body);
    const agent = await agentStatusChanger(context, { agentId: idParam(req), status });
    res.json({ agent: presentAgent(agent) });
  });
  return router;
}
