import type { AppContext } from "../context.js";
import { loadSupervisorMetrics } from "./supervisor-metrics.js";
import { SUPERVISORS_ROOM, type RealtimeServer } from "./types.js";

/** Changes arriving within this window are pushed together (well within the one second SPEC §5 allows). */
const COALESCE_MS = 200;
/** Without events, figures that move with the clock alone (SLA at risk, waits) are refreshed this often. */
const IDLE_REFRESH_MS = 15_000;

/**
 * Pushes the supervisor figures to the `supervisors` room: one computation per burst of events, never more
 * than one at a time, and a slow refresh while supervisors are connected to this instance.
 */
export class SupervisorMetricsPusher {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private readonly idle: NodeJS.Timeout;

  constructor(private readonly io: RealtimeServer, private readonly context: AppContext) {
    this.idle = setInterval(() => {
      if (this.io.of("/").adapter.rooms.get(SUPERVISORS_ROOM)?.size) this.schedule();
    }, IDLE_REFRESH_MS);
    this.idle.unref();
  }

  /** Asks for a push soon; calls within the coalescing window share one. */
  schedule(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.running = this.push().finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.schedule();
        }
      });
    }, COALESCE_MS);
  }

  private async push(): Promise<void> {
    try {
      const metrics = await loadSupervisorMetrics(this.context);
      if (!this.stopped) this.io.to(SUPERVISORS_ROOM).emit("supervisor:metrics", metrics);
    } catch (error) {
      this.context.logger.warn({ err: error }, "supervisor metrics could not be computed");
    }
  }

  /** Stops the timers and waits for a computation in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.idle);
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
