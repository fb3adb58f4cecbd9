import { useState } from "preact/hooks";
import type { TicketDetail } from "../../../shared-types/console-payloads.js";
import { Badge, ErrorLine } from "../components/bits.js";
import { apiFetch } from "../lib/api.js";
import { useI18n } from "../lib/i18n.js";
import { brusselsLocalToIso, formatDateTime, isoToBrusselsLocal } from "../lib/time.js";
import { useAsync } from "../lib/use-async.js";
import { useSubmit } from "./use-submit.js";

/** A remote session as the remote-sessions API returns it. */
interface RemoteSession {
  id: number;
  personId: number;
  personName: string | null;
  agentName: string | null;
  scheduledAt: string;
  durationMinutes: number;
  status: string;
}

/** R7: remote sessions with a reference person — book, move, cancel, mark done (the person gets SMS confirmations). */
export function RemoteSessionsPanel({ ticket }: { ticket: TicketDetail }) {
  const { t, locale } = useI18n();
  const sessions = useAsync((signal) => apiFetch<{ sessions: RemoteSession[] }>(`/api/tickets/${ticket.id}/remote-sessions`, { signal }), [ticket.id, ticket.updatedAt]);
  const [personId, setPersonId] = useState(String(ticket.reporter?.id ?? ticket.customerPersons[0]?.id ?? ""));
  const [when, setWhen] = useState("");
  const [duration, setDuration] = useState("30");
  const { busy, error, run } = useSubmit();

  const book = (event: Event) => {
    event.preventDefault();
    void run(async () => {
      const scheduledAt = brusselsLocalToIso(when);
      await apiFetch(`/api/tickets/${ticket.id}/remote-sessions`, { method: "POST", body: { personId: Number(personId), scheduledAt, durationMinutes: Number(duration) } });
      setWhen("");
      sessions.reload();
    });
  };
  const change = (id: number, body: Record<string, unknown>) =>
    void run(async () => {
      await apiFetch(`/api/remote-sessions/${id}`, { method: "PATCH", body });
      sessions.reload();
    });

  return (
    <section class="card panel" data-testid="remote-sessions">
      <h2>{t("remote.title")}</h2>
      <ul class="plain">
        {(sessions.data?.sessions ?? []).map((session) => (
          <li>
            <Badge kind={`remote-${session.status}`}>{t(`remote.status.${session.status}`)}</Badge> {formatDateTime(session.scheduledAt, locale)} · {session.durationMinutes} min ·{" "}
            {session.personName ?? "—"}
            {session.status === "scheduled" && <SessionActions session={session} onChange={change} disabled={busy} />}
          </li>
        ))}
      </ul>
      {ticket.customerPersons.length > 0 && ticket.status !== "resolved" && ticket.status !== "closed" && (
        <form class="inline-form" onSubmit={book}>
          <select value={personId} onChange={(e) => setPersonId(e.currentTarget.value)} aria-label={t("remote.person")}>
            {ticket.customerPersons.map((person) => (
              <option value={String(person.id)}>{person.active ? person.name : `${person.name} (${t("person.inactive")})`}</option>
            ))}
          </select>
          <input type="datetime-local" required value={when} onInput={(e) => setWhen(e.currentTarget.value)} aria-label={t("remote.when")} />
          <select value={duration} onChange={(e) => setDuration(e.currentTarget.value)} aria-label={t("remote.duration")}>
            {["15", "30", "45", "60", "90", "120"].map((m) => (
              <option value={m}>{m} min</option>
            ))}
          </select>
          <button type="submit" disabled={busy}>
            {t("remote.book")}
          </button>
        </form>
      )}
      <ErrorLine message={error ?? (sessions.error ? String((sessions.error as Error).message) : null)} />
    </section>
  );
}

function SessionActions({ session, onChange, disabled }: { session: RemoteSession; onChange: (id: number, body: Record<string, unknown>) => void; disabled: boolean }) {
  const { t } = useI18n();
  const [moving, setMoving] = useState(false);
  const [when, setWhen] = useState(isoToBrusselsLocal(session.scheduledAt));
  return (
    <span class="actions">
      {moving ? (
        <>
          <input type="datetime-local" value={when} onInput={(e) => setWhen(e.currentTarget.value)} aria-label={t("remote.when")} />
          <button type="button" disabled={disabled} onClick={() => onChange(session.id, { scheduledAt: brusselsLocalToIso(when) })}>
            {t("common.save")}
          </button>
        </>
      ) : (
        <button type="button" class="link" onClick={() => setMoving(true)}>
          {t("remote.move")}
        </button>
      )}
      <button type="button" class="link" disabled={disabled} onClick={() => onChange(session.id, { status: "completed" })}>
        {t("remote.done")}
      </button>
      <button type="button" class="link" disabled={disabled} onClick={() => onChange(session.id, { status: "cancelled" })}>
        {t("remote.cancel")}
      </button>
    </span>
  );
}
