import { Router } from "express";
import { z } from "zod";
import { Agent } from "../../../entities/Agent.js";
import { UI_LANGUAGES } from "../../../entities/enums.js";
import { currentAgent, requireRole } from "../../auth/middleware.js";
import { agentStatusChanger } from "../../commands/agent-status-changer.js";
import type { AppContext } from "../../context.js";
import { validate } from "../../errors/validation.js";
import { presentAgent } from "../../presenters/agent.js";
import { AGENT_ROLES_ALL } from "./params.js";

/** Statuses an agent sets by hand; "on call" comes from accepting a call. */
/** The statuses an agent (or a supervisor for them) may set by hand; on_call comes from accepting a call. */
export const MANUAL_STATUSES = ["available", "wrap_up", "away", "offline"] as const;

/** GET/PATCH /api/me (the account, its console language) and PUT /api/me/status. */
export function meRouter(context: AppContext): Router {
  const router = Router();
  router.use("/me", requireRole(...AGENT_ROLES_ALL));

  router.get("/me", (req, res) => {
    res.json({ agent: presentAgent(currentAgent(req)) });
  });

  router.patch("/me", async (req, res) => {
    const input = validate(z.object({ uiLanguage: z.enum(UI_LANGUAGES) }).strict(), req.body);
    const agent = currentAgent(req);
    await context.dataSource.getRepository(Agent).update({ id: agent.id }, { uiLanguage: input.uiLanguage });
    res.json({ agent: presentAgent({ ...agent, uiLanguage: input.uiLanguage }) });
  });

  router.put("/me/status", async (req, res) => {
    const input = validate(z.object({ status: z.enum(MANUAL_STATUSES, { message: `must be one of ${MANUAL_STATUSES.join(", ")}` }) }).strict(), req.body);
    const agent = await agentStatusChanger(context, { agentId: currentAgent(req).id, status: input.status });
    res.json({ agent: presentAgent(agent) });
  });
  return router;
}
