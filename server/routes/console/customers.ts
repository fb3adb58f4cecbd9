import { Router } from "express";
import { z } from "zod";
import { requireRole } from "../../auth/middleware.js";
import type { AppContext } from "../../context.js";
import { validate } from "../../errors/validation.js";
import { presentAgentRef } from "../../presenters/agent.js";
import { presentProduct } from "../../presenters/customer.js";
import { AGENT_ROLES_ALL, idParam } from "./params.js";
import { loadCustomerDetail, lookUpCustomers, recentCustomers } from "./queries/customer-lookup.js";
import { activeAgents, activeProducts } from "./queries/pick-lists.js";

/**
 * Look-ups for the console: GET /api/customers?q= (name, code, person or phone number; without q the recent
 * customers with paging), GET /api/customers/:id,
 * GET /api/products (active products), GET /api/agents (colleagues, for assigning).
 */
export function customersRouter(context: AppContext): Router {
  const router = Router();
  router.use(["/customers", "/products", "/agents"], requireRole(...AGENT_ROLES_ALL));

  // Without q: the recent customers, a page at a time ({ items, page, pageSize, total }); with q: the look-up.
  router.get("/customers", async (req, res) => {
    const query = validate(
      z
        .object({
          q: z.string().trim().min(2, "type at least 2 characters").max(100).optional(),
          page: z.coerce.number().int().min(1).max(10_000).default(1),
          pageSize: z.coerce.number().int().min(1).max(50).default(20),
        })
        .strict(),
      req.query,
    );
    if (query.q !== undefined) return void res.json({ items: await lookUpCustomers(context.dataSource, query.q) });
    const { items, total } = await recentCustomers(context.dataSource, query.page, query.pageSize);
    res.json({ items, page: query.page, pageSize: query.pageSize, total });
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
