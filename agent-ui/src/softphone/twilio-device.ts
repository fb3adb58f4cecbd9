import type { Call, Device, TwilioError } from "@twilio/voice-sdk";
import { apiFetch } from "../lib/api.js";
import { BaseDevice, type DeviceErrorCode, type SoftphoneDevice } from "./device.js";

/**
 * What a Voice SDK error means for the agent (codes: https://www.twilio.com/docs/api/errors): 31401/31402/31208 the
 * microphone was refused or is missing; 20101-20107 and 31204-31205 the access token was refused or expired; 31005,
 * 31009 and 53000-53001 the signalling connection to Twilio was lost.
 */
export function errorCodeOf(error: Pick<TwilioError.TwilioError, "code">): DeviceErrorCode {
  const code = error.code;
  if (code === 31401 || code === 31402 || code === 31208) return "microphone-denied";
  if ((code >= 20101 && code <= 20107) || code === 31204 || code === 31205) return "token-failed";
  if (code === 31005 || code === 31009 || code === 53000 || code === 53001) return "connection-lost";
  return "failed";
}

interface VoiceToken {
  token: string;
  identity: string;
  expiresInSeconds: number;
}

/**
 * The live softphone: a thin adapter over the Twilio Voice SDK 2.x Device (https://www.twilio.com/docs/voice/sdks/javascript/twiliodevice),
 * with an access token from GET /api/voice/token for identity agent-<id>, renewed on `tokenWillExpire` with
 * `updateToken`. The SDK is loaded only in live mode (a separate chunk).
 */
export class TwilioDevice extends BaseDevice implements SoftphoneDevice {
  readonly kind = "twilio" as const;
  private device: Device | null = null;
  private call: Call | null = null;

  private async token(): Promise<string> {
    try {
      return (await apiFetch<VoiceToken>("/api/voice/token")).token;
    } catch (error) {
      this.update({ error: "token-failed" });
      throw error;
    }
  }

  private async ensureDevice(): Promise<Device> {
    if (this.device) return this.device;
    const token = await this.token();
    const { Device: VoiceDevice } = await import("@twilio/voice-sdk");
    const device = new VoiceDevice(token, { closeProtection: true, codecPreferences: ["opus" as Call.Codec, "pcmu" as Call.Codec] });
    device.on("registered", () => this.update({ error: null, ...(this.snapshot().state === "unregistered" ? { state: "registered" as const } : {}) }));
    device.on("unregistered", () => this.snapshot().state === "registered" && this.update({ state: "unregistered" }));
    device.on("error", (error: TwilioError.TwilioError) => this.update({ error: errorCodeOf(error) }));
    device.on("tokenWillExpire", () => {
      this.token().then((fresh) => device.updateToken(fresh), () => undefined);
    });
    device.on("incoming", (call: Call) => this.incoming(call));
    device.audio?.on("deviceChange", () => this.listDevices());
    this.device = device;
    return device;
  }

  private incoming(call: Call): void {
    const { state } = this.snapshot();
    if (state === "ringing" || state === "connected") return call.reject();
    this.call = call;
    this.update({
      state: "ringing",
      call: { id: call.parameters.CallSid ?? "", from: call.parameters.From ?? "", parentCallSid: null, ringingAt: Date.now(), answeredAt: null, muted: false, endReason: null },
    });
    const mine = () => this.call === call;
    call.on("accept", () => mine() && this.update({ state: "connected", error: null, call: { ...this.snapshot().call!, answeredAt: Date.now() } }));
    call.on("disconnect", () => mine() && this.finish("completed"));
    call.on("cancel", () => mine() && this.finish("canceled"));
    call.on("reject", () => mine() && this.finish("rejected"));
    call.on("mute", (muted: boolean) => mine() && this.updateCall({ muted }));
    call.on("error", (error: TwilioError.TwilioError) => mine() && this.update({ error: errorCodeOf(error) }));
  }

  private finish(reason: "completed" | "canceled" | "rejected"): void {
    this.call = null;
    this.ended(reason);
  }

  private listDevices(): void {
    const audio = this.device?.audio;
    if (!audio) return;
    const list = (devices: Map<string, MediaDeviceInfo>) => [...devices.values()].map((info, index) => ({ id: info.deviceId, label: info.label || `${info.kind} ${index + 1}` }));
    this.update({ inputs: list(audio.availableInputDevices), outputs: audio.isOutputSelectionSupported ? list(audio.availableOutputDevices) : [] });
  }

  async register(): Promise<void> {
    const device = await this.ensureDevice();
    if (device.state === "registered" || device.state === "registering") return;
    await device.register();
    this.listDevices();
  }

  async unregister(): Promise<void> {
    if (this.device?.state === "registered") await this.device.unregister();
  }

  async accept(): Promise<void> {
    this.call?.accept();
  }

  async reject(): Promise<void> {
    this.call?.reject();
  }

  async hangup(): Promise<void> {
    this.call?.disconnect();
  }

  mute(muted: boolean): void {
    this.call?.mute(muted);
  }

  sendDigits(digits: string): void {
    this.call?.sendDigits(digits);
  }

  async setInputDevice(id: string): Promise<void> {
    await this.device?.audio?.setInputDevice(id);
    this.update({ inputId: id });
  }

  async setOutputDevice(id: string): Promise<void> {
    await this.device?.audio?.speakerDevices.set(id);
    this.update({ outputId: id });
  }

  destroy(): void {
    this.device?.destroy();
    this.device = null;
    this.call = null;
  }
}
