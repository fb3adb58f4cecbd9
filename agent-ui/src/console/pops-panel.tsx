import { useEffect, useRef } from "preact/hooks";
import type { AgentPayload, CallPayload, ScreenPop, TicketDetail } from "../../../shared-types/console-payloads.js";
import { apiFetch } from "../lib/api.js";
import { navigate } from "../lib/hash-route.js";
import { useI18n } from "../lib/i18n.js";
import { useLive } from "./live.js";
import { isPopShortcut, POP_SHORTCUTS, useNotificationPermission, usePopAlert, usePopSound } from "./pop-alert.js";
import { ScreenPopCard } from "./screen-pop-card.js";

/** Incoming calls offered to this agent, oldest first, and why a pop just went away; alerts and shortcuts for them. */
export function PopsPanel({ me }: { me: AgentPayload }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { state, dispatch } = useLive();
  const [sound, setSound] = usePopSound();
  const [permission, askPermission] = useNotificationPermission();
  const announcement = usePopAlert(state.pops, i18n, sound);
  const acceptButtons = useRef(new Map<number, HTMLButtonElement>());

  const accept = async (pop: ScreenPop) => {
    const body = await apiFetch<{ call: CallPayload; ticket: TicketDetail | null }>(`/api/calls/${pop.callId}/accept`, { method: "POST" });
    dispatch({ type: "current", call: body.call, ticketId: body.ticket?.id ?? body.call.ticketId });
    navigate("/");
  };
  // Declining only hides the pop on this console: the call stays on offer to the other agents.
  const decline = (pop: ScreenPop) => dispatch({ type: "decline", callId: pop.callId });

  // The shortcuts act on the oldest pop: accept presses its button (so its busy and error states show), decline hides it.
  const pops = useRef(state.pops);
  pops.current = state.pops;
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.repeat) return;
      if (isPopShortcut(event, "accept")) {
        const first = pops.current.find((pop) => pop.stage === "queued");
        const button = first && acceptButtons.current.get(first.callId);
        if (!button || button.disabled) return;
        event.preventDefault();
        button.click();
      } else if (isPopShortcut(event, "decline")) {
        const first = pops.current[0];
        if (!first) return;
        event.preventDefault();
        decline(first);
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  return (
    <section class="pops" data-testid="pops">
      <h2>{t("pop.title")}</h2>
      <div class="pop-settings">
        <button type="button" class="link" aria-pressed={sound} onClick={() => setSound(!sound)} data-testid="pop-sound">
          {t(sound ? "pop.sound.on" : "pop.sound.off")}
        </button>
        {permission === "default" && (
          <span class="pop-notify">
            <span class="muted" id="pop-notify-reason">{t("pop.notify.reason")}</span>{" "}
            <button type="button" class="link" aria-describedby="pop-notify-reason" onClick={() => void askPermission()} data-testid="pop-notify">
              {t("pop.notify.enable")}
            </button>
          </span>
        )}
        {permission === "denied" && <span class="muted" data-testid="pop-notify-denied">{t("pop.notify.denied")}</span>}
      </div>
      <p class="muted shortcuts" data-testid="pop-shortcuts">
        {t("pop.shortcuts", { accept: POP_SHORTCUTS.accept.label, decline: POP_SHORTCUTS.decline.label })}
      </p>
      {/* Announced by screen readers as soon as a pop arrives; the closes below are role=status. */}
      <p class="visually-hidden" aria-live="assertive" aria-atomic="true" data-testid="pop-announcement">
        {announcement}
      </p>
      {state.pops.length === 0 && state.closed.length === 0 && <p class="muted">{me.status === "available" ? t("pop.none") : t("pop.notAvailable")}</p>}
      {state.closed.map((close) => (
        <p class="card closed-pop" data-testid="pop-closed" role="status">
          {close.reason === "accepted" ? t("pop.takenBy", { name: close.acceptedBy?.name ?? "?" }) : close.reason === "voicemail" ? t("pop.leavingMessage") : t("pop.ended")}
        </p>
      ))}
      {state.pops.map((pop) => (
        <ScreenPopCard
          key={pop.callId}
          pop={pop}
          onAccept={accept}
          onDecline={decline}
          acceptButton={(button) => (button ? acceptButtons.current.set(pop.callId, button) : acceptButtons.current.delete(pop.callId))}
        />
      ))}
    </section>
  );
}
