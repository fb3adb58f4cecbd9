import { Router } from "express";
import type { AppContext } from "../context.js";
import { withDeadline } from "../deadline.js";

/** Liveness (/healthz) and readiness (/readyz: database and Redis answer). */
export function healthRouter(context: AppContext): Router {
  const router = Router();
  router.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  router.get("/readyz", async (_req, res) => {
    const check = async (probe: () => Promise<unknown>) => {
      try {
        await withDeadline(probe(), 2000);
        return { ok: true as const };
      } catch (error) {
        return { ok: false as const, error: (error as Error).message };
      }
    };
    const [database, redis] = await Promise.all([
      check(() => context.dataSource.query("SELECT 1")),
      check(() => context.redis.ping()),
    ]);
    const ready = database.ok && redis.ok;
    const down = [!database.ok && "database", !redis.ok && "redis"].filter(Boolean);
    res.status(ready ? 200 : 503).json({ status: ready ? "ready" : "unavailable", down, checks: { database, redis } });
  });
  return router;
}
