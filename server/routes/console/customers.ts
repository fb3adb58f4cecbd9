import { Router } from "express";
import { z } from "zod";
import { requireRole } from "../../auth/middleware.js";
import type { AppContext } from "../../context.js";
import { validate } from "../../errors/validation.js";
import { presentAgentRef } from "../../presenters/agent.js";
import { presentProduct } from "../../presenters/customer.js";
import { AGENT_ROLES_ALL, idParam } from "./params.js";
import { loadCustomerDetail, lookUpCustomers } from "./queries/customer-lookup.js";
import { activeAgents, activeProducts } from "./queries/pick-lists.js";

/**
 * Look-ups for the console: GET /api/customers?q= (name, code, person or phone number), GET /api/customers/:id,
 * GET /api/products (active products), GET /api/agents (colleagues, for assigning).
 */
export function customersRouter(context: AppContext): Router {
  const router = Router();
  router.use(["/customers", "/products", "/agents"], requireRole(...AGENT_ROLES_ALL));

  router.get("/customers", async (req, res) => {
    const { q } = validate(z.object({ q: z.string().trim().min(2, "type at least 2 characters").max(100) }).strict(), req.query);
    res.json({ items: await lookUpCustomers(context.dataSource, q) });
  });

  router.get("/customers/:id", async (req, res) => {
    res.json({ customer: await loadCustomerDetail(context, idParam(req)) });
  });

  router.get("/products", async (_req, res) => {
    res.json({ items: (await activeProducts(context.dataSource)).map(presentProduct) });
  });

  router.get("/agents", async (_req, res) => {
    res.json({ items: (await activeAgents(context.dataSource)).map((agent) => presentAgentRef(agent)!) });
  });
  return router;
}
