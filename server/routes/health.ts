import { Router } from "express";
import type { AppContext } from "../context.js";
import { withDeadline } from "../deadline.js";

/** Liveness (/healthz) and readiness (/readyz: database and Redis answer; the answer says only whether). */
export function healthRouter(context: AppContext): Router {
  const router = Router();
  router.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  // Public, so it says only ready or not: a driver's error text names hosts, users and versions. Which check failed,
  // and why, goes to the log for the operator.
  router.get("/readyz", async (_req, res) => {
    const check = async (name: string, probe: () => Promise<unknown>): Promise<boolean> => {
      try {
        await withDeadline(probe(), 2000);
        return true;
      } catch (error) {
        context.logger.warn({ err: error, check: name }, "readiness check failed");
        return false;
      }
    };
    const checks = await Promise.all([
      check("database", () => context.dataSource.query("SELECT 1")),
      check("redis", () => context.redis.ping()),
    ]);
    const ready = checks.every(Boolean);
    res.status(ready ? 200 : 503).json({ status: ready ? "ready" : "unavailable" });
  });
  return router;
}
