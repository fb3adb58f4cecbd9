import type { TicketDetail, TicketEventPayload } from "../../../shared-types/console-payloads.js";
import { useI18n } from "../lib/i18n.js";
import { formatDateTime } from "../lib/time.js";

/** Renders an event's data as plain text lines (all of it may be user-supplied: never markup). */
function dataLines(event: TicketEventPayload, locale: string): string[] {
  const show = (value: unknown) => showValue(value, locale);
  if (!event.data) return [];
  if (event.type === "note_added" && typeof event.data.text === "string") return [event.data.text];
  if (event.type === "updated" && event.data.changes && typeof event.data.changes === "object") {
    return Object.entries(event.data.changes as Record<string, { from: unknown; to: unknown }>).map(([field, change]) => `${field}: ${show(change?.from)} → ${show(change?.to)}`);
  }
  return Object.entries(event.data)
    .filter(([, value]) => value !== null && value !== undefined && value !== "")
    .map(([key, value]) => `${key}: ${show(value)}`);
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** One value as text; instants on the Brussels clock. */
function showValue(value: unknown, locale: string): string {
  if (value === null || value === undefined) return "—";
  if (typeof value === "string" && ISO_INSTANT.test(value)) return formatDateTime(value, locale);
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}

/** The ticket's audit trail (R10): who did what, when. */
export function TicketHistory({ ticket }: { ticket: TicketDetail }) {
  const { t, locale } = useI18n();
  return (
    <section class="card history" data-testid="ticket-history">
      <h2>{t("history.title")}</h2>
      <ol class="events">
        {[...ticket.events].reverse().map((event) => {
          const label = t(`event.${event.type}`);
          return (
            <li data-event-type={event.type}>
              <span class="time">{formatDateTime(event.createdAt, locale)}</span> <strong>{label === `event.${event.type}` ? event.type : label}</strong>{" "}
              <span class="muted">{event.actor.name ?? t(`actor.${event.actor.type}`)}</span>
              {dataLines(event, locale).map((line) => (
                <div class="event-data">{line}</div>
              ))}
            </li>
          );
        })}
      </ol>
    </section>
  );
}
