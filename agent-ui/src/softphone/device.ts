/**
 * The console's softphone, whatever carries the audio: the Twilio Voice SDK in live mode (twilio-device.ts), the
 * simulated device over the app's socket in simulation mode (simulated-device.ts). The call bar only sees this.
 */

/** registered: can take calls; ringing: a call is offered; connected: talking; ended: the last call just ended. */
export type DeviceState = "unregistered" | "registered" | "ringing" | "connected" | "ended";

/** What went wrong, shown in the console's language (softphone.error.<code>). */
export type DeviceErrorCode = "microphone-denied" | "token-failed" | "connection-lost" | "failed";

/** Why a call ended (softphone.end.<reason>). */
export type DeviceEndReason = "completed" | "rejected" | "no-answer" | "caller-hangup" | "answered-elsewhere" | "canceled";

export interface DeviceCall {
  /** The leg that rings this device (DialCallSid / the SDK call's CallSid). */
  id: string;
  /** The caller's number as the leg shows it. */
  from: string;
  /** The caller's own CallSid when known (simulation). */
  parentCallSid: string | null;
  ringingAt: number;
  answeredAt: number | null;
  muted: boolean;
  endReason: DeviceEndReason | null;
}

export interface AudioDevice {
  id: string;
  label: string;
}

export interface DeviceSnapshot {
  state: DeviceState;
  call: DeviceCall | null;
  error: DeviceErrorCode | null;
  inputs: AudioDevice[];
  outputs: AudioDevice[];
  inputId: string | null;
  outputId: string | null;
}

export interface SoftphoneDevice {
  readonly kind: "simulated" | "twilio";
  /** Takes calls for this agent (again: refreshes the registration). */
  register(): Promise<void>;
  unregister(): Promise<void>;
  /** Answers the ringing call (asks for the microphone first). */
  accept(): Promise<void>;
  reject(): Promise<void>;
  hangup(): Promise<void>;
  mute(muted: boolean): void;
  /** DTMF keys (0-9, *, #) during the call. */
  sendDigits(digits: string): void;
  setInputDevice(id: string): Promise<void>;
  setOutputDevice(id: string): Promise<void>;
  /** Forgets the last ended call (the call bar closes). */
  dismiss(): void;
  snapshot(): DeviceSnapshot;
  subscribe(listener: (snapshot: DeviceSnapshot) => void): () => void;
  destroy(): void;
}

/** The state and listeners both devices share. */
export abstract class BaseDevice {
  private current: DeviceSnapshot = { state: "unregistered", call: null, error: null, inputs: [], outputs: [], inputId: null, outputId: null };
  private readonly listeners = new Set<(snapshot: DeviceSnapshot) => void>();

  snapshot(): DeviceSnapshot {
    return this.current;
  }

  subscribe(listener: (snapshot: DeviceSnapshot) => void): () => void {
    this.listeners.add(listener);
    listener(this.current);
    return () => this.listeners.delete(listener);
  }

  protected update(patch: Partial<DeviceSnapshot>): void {
    this.current = { ...this.current, ...patch };
    for (const listener of this.listeners) listener(this.current);
  }

  protected updateCall(patch: Partial<DeviceCall>): void {
    if (this.current.call) this.update({ call: { ...this.current.call, ...patch } });
  }

  protected ended(reason: DeviceEndReason): void {
    if (!this.current.call) return;
    this.update({ state: "ended", call: { ...this.current.call, endReason: reason } });
  }

  dismiss(): void {
    if (this.current.state === "ended") this.update({ state: "registered", call: null });
  }

  /** The microphones and speakers the browser lists (labels once the microphone was allowed). */
  protected async listAudioDevices(): Promise<void> {
    if (!navigator.mediaDevices?.enumerateDevices) return;
    const devices = await navigator.mediaDevices.enumerateDevices().catch(() => [] as MediaDeviceInfo[]);
    const pick = (kind: MediaDeviceKind) => devices.filter((device) => device.kind === kind).map((device, index) => ({ id: device.deviceId, label: device.label || `${kind} ${index + 1}` }));
    this.update({ inputs: pick("audioinput"), outputs: pick("audiooutput") });
  }
}

/** A refused getUserMedia: the agent (or the browser's settings) denied the microphone. */
export function isMicrophoneDenied(error: unknown): boolean {
  const name = (error as { name?: string } | null)?.name;
  return name === "NotAllowedError" || name === "SecurityError" || name === "PermissionDeniedError";
}
