import { useEffect, useState } from "preact/hooks";
import { ApiError } from "../lib/api.js";
import { simApi } from "./api.js";
import { IncomingCall } from "./incoming.js";
import { Keypad } from "./keypad.js";
import { Transcript } from "./transcript.js";
import type { SimCallView } from "./types.js";

/** Poll interval while waiting in a queue (an agent's accept redirects the call). */
const QUEUE_POLL_MS = 1500;
/** The queue announcements repeat about this often, like Twilio's wait URL loop. */
const ANNOUNCE_EVERY_MS = 20_000;

/**
 * The phone simulator: dial the desk from any caller number, answer menus with the keypad, wait in the queue,
 * leave a voicemail, and read everything the caller hears. The server plays Twilio (signed webhooks).
 */
export function SimulatorPage() {
  const [from, setFrom] = useState("");
  const [call, setCall] = useState<SimCallView | null>(null);
  const [typed, setTyped] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    simApi.config().then((config) => setFrom((current) => current || config.defaultFrom)).catch(() => undefined);
  }, []);

  const run = async (work: () => Promise<SimCallView>) => {
    setBusy(true);
    setError(null);
    try {
      setCall(await work());
      setTyped("");
    } catch (failure) {
      setError(failure instanceof ApiError ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  };

  useEffect(() => {
    // In a queue an agent's accept redirects the call; during a <Dial> the softphone answers or it rings out.
    if (!call || (call.waitingFor !== "queue" && call.waitingFor !== "agent")) return;
    let lastAnnounce = Date.now();
    const timer = setInterval(async () => {
      const announce = call.waitingFor === "queue" && Date.now() - lastAnnounce > ANNOUNCE_EVERY_MS;
      if (announce) lastAnnounce = Date.now();
      try {
        setCall(await simApi.refresh(call.callSid, announce));
      } catch {
        /* the next poll tries again */
      }
    }, QUEUE_POLL_MS);
    return () => clearInterval(timer);
  }, [call?.callSid, call?.waitingFor]);

  const live = call !== null && call.status !== "ended";
  const canPress = live && (call.waitingFor === "keys" || call.queueKeys);
  return (
    <main class="sim-page">
      <h1>Phone simulator</h1>
      <p class="sim-hint">Plays Twilio for the desk: signed webhooks, TwiML followed step by step.</p>
      <form
        class="sim-dial"
        onSubmit={(event) => {
          event.preventDefault();
          void run(() => simApi.dial(from.trim()));
        }}
      >
        <label>
          Caller number <input name="from" value={from} onInput={(event) => setFrom(event.currentTarget.value)} disabled={live} placeholder="+32470123456 or anonymous" />
        </label>
        <button type="submit" disabled={busy || live || from.trim() === ""}>
          Dial
        </button>
      </form>
      <IncomingCall number={from} idle={!live && !busy} onAnswered={setCall} onError={setError} />
      {error ? <p class="sim-error" role="alert">{error}</p> : null}
      {call ? (
        <section class="sim-call">
          <p class="sim-status">
            <strong data-testid="sim-outcome">{call.outcome}</strong> <small>{call.callSid}</small>
          </p>
          <Transcript heard={call.heard} />
          <div class="sim-controls">
            <output class="sim-typed" aria-label="Keys typed">{typed || " "}</output>
            <Keypad disabled={!canPress || busy} onKey={(key) => setTyped((value) => (value + key).slice(0, 20))} />
            <div class="sim-actions">
              <button type="button" disabled={!canPress || busy || typed === ""} onClick={() => void run(() => simApi.press(call.callSid, typed))}>
                Send keys
              </button>
              <button type="button" disabled={!live || busy || call.waitingFor !== "keys"} onClick={() => void run(() => simApi.silence(call.callSid))}>
                Stay silent
              </button>
              <button type="button" disabled={!live || busy || call.waitingFor !== "message"} onClick={() => void run(() => simApi.leaveMessage(call.callSid, 12))}>
                Leave a message
              </button>
              {call.ringing?.startsWith("number:") && (
                <>
                  <button type="button" disabled={busy} data-testid="sim-phone-answer" onClick={() => void run(() => simApi.phoneLeg(call.callSid, "answer"))}>
                    Answer {call.ringing.slice("number:".length)}
                  </button>
                  <button type="button" disabled={busy} data-testid="sim-phone-reject" onClick={() => void run(() => simApi.phoneLeg(call.callSid, "reject"))}>
                    Decline (busy)
                  </button>
                </>
              )}
              {call.connectedTo?.startsWith("number:") && (
                <button type="button" disabled={busy} data-testid="sim-phone-hangup" onClick={() => void run(() => simApi.phoneLeg(call.callSid, "hangup"))}>
                  {call.connectedTo.slice("number:".length)} hangs up
                </button>
              )}
              <button type="button" class="sim-hangup" disabled={!live || busy} onClick={() => void run(() => simApi.hangup(call.callSid))}>
                Hang up
              </button>
            </div>
          </div>
        </section>
      ) : null}
    </main>
  );
}
