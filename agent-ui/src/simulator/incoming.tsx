import { useEffect, useState } from "preact/hooks";
import { simApi } from "./api.js";
import type { SimCallView, SimIncomingCall } from "./types.js";

/** How often the phone looks for a call from the desk while it is idle. */
const INCOMING_POLL_MS = 2000;

/**
 * The phone rings when the desk calls this number back (an outbound call placed through the simulated Calls API):
 * answer it as the person, let the voicemail take it (a machine for Twilio's machine detection), or decline it (busy).
 */
export function IncomingCall(props: { number: string; idle: boolean; onAnswered: (call: SimCallView) => void; onError: (message: string) => void }) {
  const [ringing, setRinging] = useState<SimIncomingCall | null>(null);
  const [busy, setBusy] = useState(false);
  const number = props.number.trim();
  const watch = props.idle && /^\+[1-9]\d{6,14}$/.test(number);

  useEffect(() => {
    if (!watch) {
      setRinging(null);
      return;
    }
    let stopped = false;
    const look = async () => {
      try {
        const { calls } = await simApi.incoming(number);
        if (!stopped) setRinging(calls[0] ?? null);
      } catch {
        /* the next poll tries again */
      }
    };
    void look();
    const timer = setInterval(() => void look(), INCOMING_POLL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [watch, number]);

  if (!ringing) return null;
  const act = async (work: () => Promise<SimCallView>) => {
    setBusy(true);
    try {
      const call = await work();
      setRinging(null);
      props.onAnswered(call);
    } catch (failure) {
      props.onError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="sim-incoming" role="alertdialog" aria-label="Incoming call" data-testid="sim-incoming">
      <p>
        <strong>The desk is calling you back</strong> <small>from {ringing.from}</small>
      </p>
      <div class="sim-actions">
        <button type="button" disabled={busy} onClick={() => void act(() => simApi.answerIncoming(ringing.callSid, "person"))}>
          Answer
        </button>
        <button type="button" disabled={busy} onClick={() => void act(() => simApi.answerIncoming(ringing.callSid, "voicemail"))}>
          Let voicemail take it
        </button>
        <button type="button" class="sim-hangup" disabled={busy} onClick={() => void act(() => simApi.declineIncoming(ringing.callSid))}>
          Decline
        </button>
      </div>
    </section>
  );
}
