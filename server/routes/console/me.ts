import { Router } from "express";
import { z } from "zod";
import { MANUAL_AGENT_STATUSES, UI_LANGUAGES } from "../../../entities/enums.js";
import { currentAgent, requireRole } from "../../auth/middleware.js";
import { agentLanguageSetter } from "../../commands/agent-language-setter.js";
import { agentStatusChanger } from "../../commands/agent-status-changer.js";
import type { AppContext } from "../../context.js";
import { validate } from "../../errors/validation.js";
import { presentAgent } from "../../presenters/agent.js";
import { AGENT_ROLES_ALL } from "./params.js";

/** GET/PATCH /api/me (the account, its console language) and PUT /api/me/status. */
export function meRouter(context: AppContext): Router {
  const router = Router();
  router.use("/me", requireRole(...AGENT_ROLES_ALL));

  router.get("/me", (req, res) => {
    res.json({ agent: presentAgent(currentAgent(req)) });
  });

  router.patch("/me", async (req, res) => {
    const input = validate(z.object({ uiLanguage: z.enum(UI_LANGUAGES) }).strict(), req.body);
    res.json({ agent: presentAgent(await agentLanguageSetter(context, { agentId: currentAgent(req).id, uiLanguage: input.uiLanguage })) });
  });

  router.put("/me/status", async (req, res) => {
    const input = validate(z.object({ status: z.enum(MANUAL_AGENT_STATUSES, { message: `must be one of ${MANUAL_AGENT_STATUSES.join(", ")}` }) }).strict(), req.body);
    const agent = await agentStatusChanger(context, { agentId: currentAgent(req).id, status: input.status });
    res.json({ agent: presentAgent(agent) });
  });
  return router;
}
