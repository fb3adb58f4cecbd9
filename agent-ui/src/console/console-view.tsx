import { useEffect } from "preact/hooks";
import type { AgentPayload, AgentStatus, CallPayload, TicketSummary } from "../../../shared-types/console-payloads.js";
import { TicketTable } from "../components/bits.js";
import { apiFetch } from "../lib/api.js";
import { useI18n } from "../lib/i18n.js";
import { formatDuration, formatTime, secondsSince, useNow } from "../lib/time.js";
import { useAsync } from "../lib/use-async.js";
import { TicketView } from "../tickets/ticket-view.js";
import { useLive, useWatchedTickets } from "./live.js";

/** The agent's desk: the call they are on with its ticket, else their open tickets. */
export function ConsoleView({ me, onStatus }: { me: AgentPayload; onStatus: (status: AgentStatus) => void }) {
  const { t } = useI18n();
  const { state, dispatch } = useLive();
  const current = state.currentCall;

  useEffect(() => {
    if (current) return;
    apiFetch<{ call: CallPayload | null }>("/api/calls/current").then(
      (body) => body.call && dispatch({ type: "current", call: body.call, ticketId: body.call.ticketId }),
      () => undefined,
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // The caller hung up: the agent goes to wrap-up (they set themselves available when done).
  useEffect(() => {
    if (current?.ended && me.status === "on_call") onStatus("wrap_up");
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [current?.ended]);

  return (
    <div class="console">
      {current ? (
        <CurrentCall call={current.call} ended={current.ended} ticketId={current.ticketId} me={me} onDone={() => dispatch({ type: "clearCurrent" })} onStatus={onStatus} />
      ) : (
        <>
          <p class="hint" data-testid="status-hint">
            {t(`console.hint.${me.status}`)}
          </p>
          <MyTickets serial={state.ticketChange?.serial ?? 0} />
        </>
      )}
    </div>
  );
}

function CurrentCall(props: { call: CallPayload; ended: boolean; ticketId: number | null; me: AgentPayload; onDone: () => void; onStatus: (status: AgentStatus) => void }) {
  const { t, locale } = useI18n();
  const now = useNow();
  const { call } = props;
  return (
    <section class="current-call" data-testid="current-call">
      <header class="card call-bar">
        <strong>{props.ended ? t("call.ended") : t("call.onCall")}</strong>
        <span>{call.fromNumber}</span>
        {call.language && <span class="badge language">{call.language.toUpperCase()}</span>}
        <span>{t("call.answeredAt", { time: formatTime(call.answeredAt, locale) })}</span>
        {!props.ended && <span data-testid="call-duration">{formatDuration(secondsSince(call.answeredAt ?? call.startedAt, now))}</span>}
        <span class="spacer" />
        {props.me.status !== "available" && (
          <button type="button" onClick={() => props.onStatus("available")} data-testid="become-available">
            {t("call.available")}
          </button>
        )}
        <button type="button" class="link" onClick={props.onDone} data-testid="close-call">
          {t("call.close")}
        </button>
      </header>
      {props.ticketId !== null ? <TicketView ticketId={props.ticketId} me={props.me} /> : <p class="muted">{t("call.noTicket")}</p>}
    </section>
  );
}

function MyTickets({ serial }: { serial: number }) {
  const { t } = useI18n();
  const { data } = useAsync((signal) => apiFetch<{ items: TicketSummary[] }>("/api/tickets?assignee=me&status=active&limit=20", { signal }), [serial]);
  // Changes to my tickets reach me as their assignee; watching the listed ones also tells me when one is reassigned away.
  useWatchedTickets(data?.items.map((ticket) => ticket.id) ?? []);
  return (
    <section>
      <h2>{t("console.myTickets")}</h2>
      {data && <TicketTable tickets={data.items} testId="my-tickets" />}
    </section>
  );
}
