import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { TEST_AUTH_TOKEN } from "../../support/app.js";
import { killOnExit, waitFor } from "../../support/wait.js";

/** The compiled entry point of `npm start`, next to this compiled test (dist/ or .build/<who>/). */
const MAIN_JS = fileURLToPath(new URL("../../../server/main.js", import.meta.url));

/** Lines of output kept per process, shown when it fails to start or a test fails. */
const OUTPUT_LINES = 1000;

/**
 * The desk open around the clock, whatever the wall-clock time of the run: every day from 00:00 to 23:59 in a
 * fixed-offset zone where it is about noon now, and a holiday country without public holidays. Real processes
 * use the wall clock (no injectable `now`), so this keeps callers in the open-hours path of the IVR.
 */
export function alwaysOpenDesk(now = new Date()): Record<string, string> {
  const offset = 12 - now.getUTCHours(); // -11 … +12
  const zone = offset === 0 ? "Etc/GMT" : `Etc/GMT${offset > 0 ? "-" : "+"}${Math.abs(offset)}`; // Etc/GMT-3 is UTC+3
  return { BUSINESS_TIMEZONE: zone, BUSINESS_DAYS: "1,2,3,4,5,6,7", BUSINESS_HOURS_START: "00:00", BUSINESS_HOURS_END: "23:59", HOLIDAY_COUNTRY: "AQ" };
}

/**
 * One app instance as a real child process (`node dist/server/main.js`): nothing is shared with the test or
 * another instance but the database and Redis. Output is kept for diagnostics.
 */
export class AppProcess {
  readonly output: string[] = [];
  private readonly exited: Promise<void>;

  private constructor(readonly name: string, readonly port: number, private readonly child: ChildProcess) {
    const keep = (chunk: Buffer) => {
      for (const line of String(chunk).split("\n")) if (line.trim()) this.output.push(line);
      if (this.output.length > OUTPUT_LINES) this.output.splice(0, this.output.length - OUTPUT_LINES);
    };
    child.stdout!.on("data", keep);
    child.stderr!.on("data", keep);
    killOnExit(child);
    this.exited = new Promise((resolve) => child.once("exit", () => resolve()));
  }

  /** Spawns an instance listening on `port` with these settings (added to the test defaults) and waits until it answers. */
  static async start(name: string, port: number, env: Record<string, string>): Promise<AppProcess> {
    const child = spawn(process.execPath, [MAIN_JS], {
      env: {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        HOME: process.env.HOME ?? "/tmp",
        NODE_ENV: "test",
        LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "warn",
        REDIS_AUTOSTART: "false",
        SEED_ON_EMPTY: "false",
        TWILIO_AUTH_TOKEN: TEST_AUTH_TOKEN,
        ...alwaysOpenDesk(),
        ...env,
        PORT: String(port),
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const instance = new AppProcess(name, port, child);
    try {
      await instance.waitReady();
    } catch (error) {
      await instance.kill();
      throw error;
    }
    return instance;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get pid(): number {
    return this.child.pid!;
  }

  /** True while the process runs. */
  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** How the process ended, e.g. "exit 1" or "SIGKILL"; null while it runs. */
  get ending(): string | null {
    if (this.alive) return null;
    return this.child.signalCode ?? `exit ${this.child.exitCode}`;
  }

  /** The last lines of output, for assertion messages. */
  tail(lines = 30): string {
    return this.output.slice(-lines).join("\n");
  }

  private async waitReady(timeoutMs = 30_000): Promise<void> {
    const probe = async () => {
      if (!this.alive) throw new Error(`${this.name} exited during start-up (${this.ending}):\n${this.tail()}`);
      return fetch(`${this.url}/healthz`).then((response) => response.ok, () => false);
    };
    await waitFor(probe, timeoutMs, `${this.name} to answer on ${this.url}`).catch((error: Error) => {
      throw new Error(`${error.message}\n${this.tail()}`);
    });
  }

  /** kill -9: no shutdown code runs, connections are cut mid-request. */
  async kill(): Promise<void> {
    if (this.alive) this.child.kill("SIGKILL");
    await this.exited;
  }

  /** SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
  async stop(graceMs = 8000): Promise<void> {
    if (!this.alive) return this.exited;
    this.child.kill("SIGTERM");
    const timer = setTimeout(() => this.child.kill("SIGKILL"), graceMs);
    await this.exited;
    clearTimeout(timer);
  }
}
