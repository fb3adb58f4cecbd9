import type { AgentPayload, CallPayload, ScreenPop, TicketDetail } from "../../../shared-types/console-payloads.js";
import { apiFetch } from "../lib/api.js";
import { navigate } from "../lib/hash-route.js";
import { useI18n } from "../lib/i18n.js";
import { useLive } from "./live.js";
import { ScreenPopCard } from "./screen-pop-card.js";

/** Incoming calls offered to this agent, oldest first, and why a pop just went away. */
export function PopsPanel({ me }: { me: AgentPayload }) {
  const { t } = useI18n();
  const { state, dispatch } = useLive();

  const accept = async (pop: ScreenPop) => {
    const body = await apiFetch<{ call: CallPayload; ticket: TicketDetail | null }>(`/api/calls/${pop.callId}/accept`, { method: "POST" });
    dispatch({ type: "current", call: body.call, ticketId: body.ticket?.id ?? body.call.ticketId });
    navigate("/");
  };

  return (
    <section class="pops" data-testid="pops">
      <h2>{t("pop.title")}</h2>
      {state.pops.length === 0 && state.closed.length === 0 && <p class="muted">{me.status === "available" ? t("pop.none") : t("pop.notAvailable")}</p>}
      {state.closed.map((close) => (
        <p class="card closed-pop" data-testid="pop-closed" role="status">
          {close.reason === "accepted" ? t("pop.takenBy", { name: close.acceptedBy?.name ?? "?" }) : close.reason === "voicemail" ? t("pop.leavingMessage") : t("pop.ended")}
        </p>
      ))}
      {state.pops.map((pop) => (
        <ScreenPopCard key={pop.callId} pop={pop} onAccept={accept} />
      ))}
    </section>
  );
}
