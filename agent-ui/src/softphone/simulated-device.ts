import type { SoftphoneIncoming } from "../../../shared-types/socket-events.js";
import type { ConsoleSocket } from "../lib/socket.js";
import { BaseDevice, isMicrophoneDenied, type SoftphoneDevice } from "./device.js";

/** Raised by register() when the server is in live mode: the Voice SDK device takes over. */
export class LiveModeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LiveModeError";
  }
}

/**
 * The softphone of simulation mode: the phone simulator rings it over the console's socket (softphone:incoming), and
 * what the agent does goes back the same way (softphone:answer, reject, hangup, digits). No audio travels; the
 * microphone is still asked for on answer, as the Voice SDK does, so a denied microphone shows the same way.
 */
export class SimulatedDevice extends BaseDevice implements SoftphoneDevice {
  readonly kind = "simulated" as const;
  /** Set by the call bar: how to switch to the Voice SDK when register() finds the server live. */
  liveFallback: (() => Promise<void>) | null = null;
  private wanted = false;
  private refresh: ReturnType<typeof setTimeout> | undefined;
  private stream: MediaStream | null = null;
  private readonly offs: (() => void)[] = [];

  constructor(private readonly socket: ConsoleSocket) {
    super();
    const on = <E extends "softphone:incoming" | "softphone:ended" | "connect" | "disconnect">(event: E, listener: (...args: any[]) => void) => {
      this.socket.on(event, listener as never);
      this.offs.push(() => this.socket.off(event, listener as never));
    };
    on("softphone:incoming", (ring: SoftphoneIncoming) => this.ring(ring));
    on("softphone:ended", ({ dialCallSid, reason }) => {
      if (this.snapshot().call?.id !== dialCallSid || this.snapshot().state === "ended") return;
      this.stopMicrophone();
      this.ended(reason);
    });
    on("connect", () => {
      if (this.snapshot().error === "connection-lost") this.update({ error: null });
      if (this.wanted) void this.register().catch(() => undefined);
    });
    on("disconnect", () => {
      if (this.wanted) this.update({ error: "connection-lost" });
    });
  }

  private ring(ring: SoftphoneIncoming): void {
    const { state } = this.snapshot();
    if (state === "ringing" || state === "connected") return;
    this.update({
      state: "ringing",
      call: { id: ring.dialCallSid, from: ring.from, parentCallSid: ring.callSid, ringingAt: Date.parse(ring.ringingAt) || Date.now(), answeredAt: null, muted: false, endReason: null },
    });
  }

  async register(): Promise<void> {
    this.wanted = true;
    clearTimeout(this.refresh);
    if (!this.socket.connected) return; // registers on connect
    const answer = await this.socket.timeout(10_000).emitWithAck("softphone:register");
    if ("error" in answer) {
      if (answer.live) throw new LiveModeError(answer.error);
      if (this.snapshot().state === "registered") this.update({ state: "unregistered" });
      return;
    }
    if (this.snapshot().state === "unregistered") this.update({ state: "registered" });
    // The registration expires unless refreshed: again at half its lifetime.
    this.refresh = setTimeout(() => void this.register().catch(() => undefined), (answer.ttlSeconds * 1000) / 2);
    for (const ring of answer.ringing) this.ring(ring);
  }

  async unregister(): Promise<void> {
    this.wanted = false;
    clearTimeout(this.refresh);
    if (this.snapshot().state === "registered") this.update({ state: "unregistered" });
    if (this.socket.connected) await this.socket.timeout(10_000).emitWithAck("softphone:unregister").catch(() => undefined);
  }

  async accept(): Promise<void> {
    const { call, state } = this.snapshot();
    if (!call || state !== "ringing") return;
    try {
      if (navigator.mediaDevices?.getUserMedia) {
        const inputId = this.snapshot().inputId;
        this.stream = await navigator.mediaDevices.getUserMedia({ audio: inputId ? { deviceId: { exact: inputId } } : true });
      }
    } catch (error) {
      this.update({ error: isMicrophoneDenied(error) ? "microphone-denied" : "failed" });
      return;
    }
    const answer = await this.socket.timeout(10_000).emitWithAck("softphone:answer", { dialCallSid: call.id }).catch(() => ({ error: "no answer from the server" }));
    if ("error" in answer) {
      this.stopMicrophone();
      this.update({ error: this.socket.connected ? "failed" : "connection-lost" });
      return;
    }
    this.update({ state: "connected", error: null, call: { ...call, answeredAt: Date.now() } });
    void this.listAudioDevices();
  }

  async reject(): Promise<void> {
    const { call, state } = this.snapshot();
    if (!call || state !== "ringing") return;
    await this.socket.timeout(10_000).emitWithAck("softphone:reject", { dialCallSid: call.id }).catch(() => undefined);
    this.ended("rejected");
  }

  async hangup(): Promise<void> {
    const { call, state } = this.snapshot();
    if (!call || (state !== "connected" && state !== "ringing")) return;
    await this.socket.timeout(10_000).emitWithAck("softphone:hangup", { dialCallSid: call.id }).catch(() => undefined);
    this.stopMicrophone();
    this.ended(state === "connected" ? "completed" : "rejected");
  }

  mute(muted: boolean): void {
    for (const track of this.stream?.getAudioTracks() ?? []) track.enabled = !muted;
    this.updateCall({ muted });
  }

  sendDigits(digits: string): void {
    const { call, state } = this.snapshot();
    if (call && state === "connected") this.socket.emit("softphone:digits", { dialCallSid: call.id, digits });
  }

  async setInputDevice(id: string): Promise<void> {
    this.update({ inputId: id });
    if (!this.stream || !navigator.mediaDevices?.getUserMedia) return;
    const muted = this.snapshot().call?.muted ?? false;
    this.stopMicrophone();
    this.stream = await navigator.mediaDevices.getUserMedia({ audio: { deviceId: { exact: id } } });
    this.mute(muted);
  }

  async setOutputDevice(id: string): Promise<void> {
    this.update({ outputId: id });
  }

  private stopMicrophone(): void {
    for (const track of this.stream?.getTracks() ?? []) track.stop();
    this.stream = null;
  }

  destroy(): void {
    clearTimeout(this.refresh);
    this.stopMicrophone();
    for (const off of this.offs.splice(0)) off();
  }
}
