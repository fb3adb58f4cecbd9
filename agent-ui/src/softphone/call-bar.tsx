import { useEffect, useRef, useState } from "preact/hooks";
import type { AgentPayload } from "../../../shared-types/console-payloads.js";
import { useLive } from "../console/live.js";
import { useI18n } from "../lib/i18n.js";
import { formatDuration, useNow } from "../lib/time.js";
import type { DeviceSnapshot, SoftphoneDevice } from "./device.js";
import { LiveModeError, SimulatedDevice } from "./simulated-device.js";
import "./softphone.css";

const KEYS = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "0", "#"];
/** How long the bar says why the last call ended before it closes. */
const ENDED_SHOWN_MS = 5000;

/**
 * The console's softphone: registered while the agent is logged in and not offline (simulated over the socket, or the
 * Voice SDK in live mode), and a call bar that stays in view while a call rings or is on, with the caller's name,
 * timer, mute, keypad, hang-up, microphone and speaker choice. The call the agent accepted is answered as it rings.
 */
export function Softphone({ me }: { me: AgentPayload }) {
  const { t } = useI18n();
  const live = useLive();
  const { socket } = live;
  const [device, setDevice] = useState<SoftphoneDevice | null>(null);
  const [snap, setSnap] = useState<DeviceSnapshot | null>(null);
  const [keypad, setKeypad] = useState(false);
  const [typed, setTyped] = useState("");
  const now = useNow();

  // One device per socket: the simulated one, unless the server says it is live (then the Voice SDK).
  useEffect(() => {
    if (!socket) return;
    let current: SoftphoneDevice = new SimulatedDevice(socket);
    let stopped = false;
    let off = current.subscribe(setSnap);
    setDevice(current);
    const swapToLive = async () => {
      const { TwilioDevice } = await import("./twilio-device.js");
      if (stopped) return;
      off();
      current.destroy();
      current = new TwilioDevice();
      off = current.subscribe(setSnap);
      setDevice(current);
    };
    (current as SimulatedDevice).liveFallback = swapToLive;
    return () => {
      stopped = true;
      off();
      current.destroy();
    };
  }, [socket]);

  // Registered while not offline; offline (or logged out) takes no calls.
  useEffect(() => {
    if (!device) return;
    const wanted = me.status !== "offline";
    const run = wanted ? device.register() : device.unregister();
    run.catch((error) => {
      if (error instanceof LiveModeError && device instanceof SimulatedDevice) void device.liveFallback?.();
    });
  }, [device, me.status]);

  // The call this agent accepted rings here: answer it without a second click. The agent is on that call (pops go to
  // available agents only), so the ring that arrives is the accepted caller's.
  const current = live.state.currentCall;
  useEffect(() => {
    if (!device || snap?.state !== "ringing" || !current || current.ended) return;
    void device.accept();
  }, [device, snap?.state, snap?.call?.id, current?.call.id, current?.ended]);

  // Names of the callers popped to this agent, to show who is on the line.
  const names = useRef(new Map<number, string>());
  for (const pop of live.state.pops) if (pop.caller?.name) names.current.set(pop.callId, pop.caller.name);

  // The ended call's bar closes by itself after a moment.
  useEffect(() => {
    if (snap?.state !== "ended" || !device) return;
    const timer = setTimeout(() => device.dismiss(), ENDED_SHOWN_MS);
    return () => clearTimeout(timer);
  }, [device, snap?.state, snap?.call?.id]);

  if (!device || !snap) return null;
  const call = snap.call;
  const error = snap.error ? <p class="softphone-error" role="alert" data-testid="softphone-error" data-code={snap.error}>{t(`softphone.error.${snap.error}`)}</p> : null;
  if (!call) {
    return error ? <div class="softphone-bar idle" data-testid="softphone-bar" data-state={snap.state}>{error}</div> : <span hidden data-testid="softphone-registered" data-state={snap.state} />;
  }
  const callerName = current && !current.ended ? (names.current.get(current.call.id) ?? current.call.fromNumber) : call.from;
  const seconds = call.answeredAt ? Math.max(0, Math.round((now.getTime() - call.answeredAt) / 1000)) : 0;
  const press = (key: string) => {
    setTyped((digits) => (digits + key).slice(-20));
    device.sendDigits(key);
  };

  return (
    <div class={`softphone-bar ${snap.state}`} data-testid="softphone-bar" data-state={snap.state} role="region" aria-label={t("softphone.title")}>
      <strong data-testid="softphone-caller">{callerName}</strong>
      <span class="softphone-status" data-testid="softphone-status">
        {snap.state === "ringing" ? t("softphone.ringing") : snap.state === "connected" ? t("softphone.connected") : t(`softphone.end.${call.endReason ?? "completed"}`)}
      </span>
      {snap.state === "connected" && <span class="softphone-timer" data-testid="softphone-timer">{formatDuration(seconds)}</span>}
      {snap.state === "ringing" && (
        <>
          <button type="button" class="primary" data-testid="softphone-answer" onClick={() => void device.accept()}>
            {t("softphone.answer")}
          </button>
          <button type="button" data-testid="softphone-reject" onClick={() => void device.reject()}>
            {t("softphone.reject")}
          </button>
        </>
      )}
      {snap.state === "connected" && (
        <>
          <button type="button" aria-pressed={call.muted} data-testid="softphone-mute" onClick={() => device.mute(!call.muted)}>
            {call.muted ? t("softphone.unmute") : t("softphone.mute")}
          </button>
          <button type="button" aria-expanded={keypad} data-testid="softphone-keypad-toggle" onClick={() => setKeypad(!keypad)}>
            {t("softphone.keypad")}
          </button>
          <button type="button" class="danger" data-testid="softphone-hangup" onClick={() => void device.hangup()}>
            {t("softphone.hangup")}
          </button>
          <label class="softphone-device">
            {t("softphone.microphone")}
            <select data-testid="softphone-input" value={snap.inputId ?? ""} onChange={(e) => void device.setInputDevice(e.currentTarget.value)}>
              <option value="">{t("softphone.defaultDevice")}</option>
              {snap.inputs.map((input) => (
                <option value={input.id}>{input.label}</option>
              ))}
            </select>
          </label>
          {snap.outputs.length > 0 && (
            <label class="softphone-device">
              {t("softphone.speaker")}
              <select data-testid="softphone-output" value={snap.outputId ?? ""} onChange={(e) => void device.setOutputDevice(e.currentTarget.value)}>
                <option value="">{t("softphone.defaultDevice")}</option>
                {snap.outputs.map((output) => (
                  <option value={output.id}>{output.label}</option>
                ))}
              </select>
            </label>
          )}
        </>
      )}
      {snap.state === "ended" && (
        <button type="button" class="link" data-testid="softphone-dismiss" onClick={() => device.dismiss()}>
          {t("common.dismiss")}
        </button>
      )}
      {snap.state === "connected" && keypad && (
        <div class="softphone-keypad" data-testid="softphone-keypad">
          <output data-testid="softphone-typed">{typed}</output>
          {KEYS.map((key) => (
            <button type="button" data-testid={`softphone-key-${key === "*" ? "star" : key === "#" ? "hash" : key}`} onClick={() => press(key)}>
              {key}
            </button>
          ))}
        </div>
      )}
      {error}
    </div>
  );
}
