import { Router } from "express";
import { requireLogin, requireRole } from "../../auth/middleware.js";
import type { AppContext } from "../../context.js";
import { agentRoutes } from "./agents/index.js";
import { auditRoutes } from "./audit/index.js";
import { campusRoutes } from "./campuses/index.js";
import { contractRoutes } from "./contracts/index.js";
import { customerRoutes } from "./customers/index.js";
import { importRoutes } from "./imports/index.js";
import { buildOpenApiDocument } from "./openapi.js";
import { outboxRoutes } from "./outbox/index.js";
import { personRoutes } from "./persons/index.js";
import { productRoutes } from "./products/index.js";
import { reportRoutes } from "./reports/index.js";
import { sessionRoutes } from "./session/index.js";
import { slaPolicyRoutes } from "./sla-policies/index.js";

/** Administration API: one sub-router per resource; login for everything, admin role for writes, supervisors read. */
export function adminRouter(context: AppContext): Router {
  const resources = [
    sessionRoutes(context),
    customerRoutes(context),
    campusRoutes(context),
    personRoutes(context),
    productRoutes(context),
    contractRoutes(context),
    slaPolicyRoutes(context),
    agentRoutes(context),
    auditRoutes(context),
    importRoutes(context),
    reportRoutes(context),
    outboxRoutes(context),
  ];
  const document = buildOpenApiDocument(resources.flatMap((resource) => resource.routes));
  const router = Router();
  router.use(requireLogin(context));
  router.get("/openapi.json", requireRole("admin", "supervisor"), (_req, res) => {
    res.json(document);
  });
  for (const resource of resources) router.use(resource.mountPath, resource.router);
  return router;
}
