import { AppProcess } from "./app-process.js";
import type { SharedDatabase } from "./desk.js";
import { LoadBalancer } from "./load-balancer.js";
import { freePort } from "../../support/wait.js";

/** Two app processes, A and B, behind one public address. */
export interface Cluster {
  a: AppProcess;
  b: AppProcess;
  balancer: LoadBalancer;
  /** The last lines both instances logged, for failure messages. */
  logs(): string;
  /** Stops both processes (if still running) and the balancer. */
  stop(): Promise<void>;
}

/**
 * Starts instances A and B on the shared database with `settings` (REDIS_URL, REDIS_PREFIX …). Behind a load
 * balancer every instance has the balancer's address as PUBLIC_BASE_URL: Twilio signs the URL it calls (the
 * balancer's) and the TwiML of either instance points Twilio back at the balancer.
 */
export async function startCluster(db: SharedDatabase, settings: Record<string, string>): Promise<Cluster> {
  const ports = [await freePort(), await freePort()] as const;
  const balancer = await new LoadBalancer([{ name: "A", port: ports[0] }, { name: "B", port: ports[1] }]).start();
  const env = { ...db.env, ...settings, PUBLIC_BASE_URL: balancer.url };
  const started = await Promise.allSettled([AppProcess.start("A", ports[0], env), AppProcess.start("B", ports[1], env)]);
  const failed = started.find((result) => result.status === "rejected");
  if (failed) {
    for (const result of started) if (result.status === "fulfilled") await result.value.kill();
    await balancer.close();
    throw (failed as PromiseRejectedResult).reason;
  }
  const [a, b] = started.map((result) => (result as PromiseFulfilledResult<AppProcess>).value) as [AppProcess, AppProcess];
  return {
    a,
    b,
    balancer,
    logs: () => `instance A (${a.ending ?? "running"}):\n${a.tail(Number(process.env.SCALE_LOG_LINES ?? 10))}\ninstance B (${b.ending ?? "running"}):\n${b.tail(Number(process.env.SCALE_LOG_LINES ?? 10))}`,
    async stop() {
      await Promise.all([a.stop(), b.stop()]);
      await balancer.close();
    },
  };
}
