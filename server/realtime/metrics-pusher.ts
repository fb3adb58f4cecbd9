import type { AppContext } from "../context.js";
import { loadSupervisorMetrics } from "./supervisor-metrics.js";
import { SUPERVISORS_ROOM, type RealtimeServer } from "./types.js";

/** Changes arriving within this window are pushed together (well within the one second SPEC §5 allows). */
const COALESCE_MS = 200;
/** Without events, figures that move with the clock alone (SLA at risk, waits) are refreshed this often. */
const IDLE_REFRESH_MS = 15_000;

/**
 * Pushes the supervisor figures to the supervisors connected to this instance: one computation per burst of
 * events, never more than one at a time, none at all without supervisors here (the figures are costly and a
 * desk has hundreds of agents for a few supervisors), and a slow refresh while some are connected. A change
 * committed here is announced to the other instances, which do the same for theirs.
 */
export class SupervisorMetricsPusher {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private announceTimer: NodeJS.Timeout | undefined;
  private readonly idle: NodeJS.Timeout;

  constructor(private readonly io: RealtimeServer, private readonly context: AppContext) {
    this.idle = setInterval(() => this.refreshLocal(), IDLE_REFRESH_MS);
    this.idle.unref();
    this.io.on("supervisor-metrics:changed", () => this.refreshLocal());
  }

  private hasLocalSupervisors(): boolean {
    return Boolean(this.io.of("/").adapter.rooms.get(SUPERVISORS_ROOM)?.size);
  }

  /**
   * A change was committed on this instance: recompute here, and tell the other instances at the end of the
   * window, once for every change in it (the last change of a burst is always announced).
   */
  schedule(): void {
    if (this.stopped) return;
    this.announceTimer ??= setTimeout(() => {
      this.announceTimer = undefined;
      try {
        this.io.serverSideEmit("supervisor-metrics:changed");
      } catch (error) {
        this.context.logger.warn({ err: error }, "could not announce a supervisor figures change to the other instances");
      }
    }, COALESCE_MS);
    this.refreshLocal();
  }

  /** Asks for a push to this instance's supervisors soon; calls within the coalescing window share one. */
  refreshLocal(): void {
    if (this.stopped || !this.hasLocalSupervisors()) return;
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
          this.refreshLocal();
        }
      });
    }, COALESCE_MS);
  }

  private async push(): Promise<void> {
    try {
      if (!this.hasLocalSupervisors()) return;
      const metrics = await loadSupervisorMetrics(this.context);
      // Local only: every instance pushes to its own supervisors (see the class comment).
      if (!this.stopped) this.io.local.to(SUPERVISORS_ROOM).emit("supervisor:metrics", metrics);
    } catch (error) {
      this.context.logger.warn({ err: error }, "supervisor metrics could not be computed");
    }
  }

  /** Stops the timers and waits for a computation in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.idle);
    if (this.timer) clearTimeout(this.timer);
    if (this.announceTimer) clearTimeout(this.announceTimer);
    this.timer = undefined;
    await this.running;
  }
}
