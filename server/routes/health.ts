import { Router } from "express";
import type { AppContext } from "../context.js";

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms); });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Liveness (/healthz) and readiness (/readyz: database and Redis answer). */
export function healthRouter(context: AppContext): Router {
  const router = Router();
  router.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  router.get("/readyz", async (_req, res) => {
    const check = async (probe: () => Promise<unknown>) => {
      try {
        await withTimeout(probe(), 2000);
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
