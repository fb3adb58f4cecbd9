import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { Redis } from "ioredis";
import { killOnExit, waitFor } from "./wait.js";

/**
 * A redis-server of the test's own on a free port, so it can be stopped and started again without touching the
 * shared one on 6379. Persistent by default like a production Redis (append-only file in a temporary folder, as
 * the app's own private redis-server): a restart keeps the queued jobs. `persistent: false` keeps nothing, so a
 * restart comes back empty (a Redis that lost its data).
 */
export class PrivateRedis {
  private child: ChildProcess | undefined;
  private readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), "sd-test-redis-"));

  constructor(readonly port: number, private readonly options: { persistent: boolean } = { persistent: true }) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts the server (again) on the same port and data folder; resolves once it answers PING. */
  async start(): Promise<void> {
    const storage = this.options.persistent ? ["--dir", this.dir, "--appendonly", "yes"] : ["--appendonly", "no"];
    this.child = spawn("redis-server", ["--port", String(this.port), "--bind", "127.0.0.1", ...storage, "--save", ""], { stdio: "ignore" });
    killOnExit(this.child);
    await waitFor(() => this.ping(), 10_000, `redis-server on port ${this.port}`);
  }

  /** `SHUTDOWN NOSAVE` (the append-only file is flushed), as an operator restarting Redis would; resolves once it is gone. */
  async shutdown(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    const admin = new Redis(this.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    admin.on("error", () => undefined);
    await admin.connect();
    await admin.call("SHUTDOWN", "NOSAVE").catch(() => undefined); // the connection closes under the reply
    admin.disconnect();
    await exited;
  }

  /** Kills the server (SIGKILL: a crash); `start()` brings it back. */
  async kill(): Promise<void> {
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGKILL");
      await exited;
    }
  }

  /** Stops the server for good and removes its data folder. */
  async destroy(): Promise<void> {
    await this.kill();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  /** Clients subscribed by pattern and by channel (from CLIENT LIST), for diagnostics. */
  async subscribers(): Promise<{ byPattern: number; byChannel: number }> {
    const probe = new Redis(this.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on("error", () => undefined);
    try {
      await probe.connect();
      const clients = String(await probe.call("CLIENT", "LIST")).split("\n");
      return { byPattern: clients.filter((line) => / psub=[1-9]/.test(line)).length, byChannel: clients.filter((line) => / sub=[1-9]/.test(line)).length };
    } finally {
      probe.disconnect();
    }
  }

  /** What Redis holds of the offer of a call's pop (pop-offers.ts): who was shown it, which kind, whether it was closed. */
  async offerOf(prefix: string, callId: number): Promise<{ offeredTo: string[]; kind: string | null; closed: boolean }> {
    const probe = new Redis(this.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on("error", () => undefined);
    try {
      await probe.connect();
      const key = (what: string) => `${prefix}:screenpop:${what}:${callId}`;
      return { offeredTo: await probe.smembers(key("offers")), kind: await probe.get(key("offer-kind")), closed: (await probe.exists(key("closed"))) === 1 };
    } finally {
      probe.disconnect();
    }
  }

  /** True when the server answers PING. */
  async ping(): Promise<boolean> {
    const probe = new Redis(this.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 1000 });
    probe.on("error", () => undefined);
    try {
      await probe.connect();
      return (await probe.ping()) === "PONG";
    } catch {
      return false;
    } finally {
      probe.disconnect();
    }
  }
}
