import { useI18n } from "../lib/i18n.js";
import { formatTime } from "../lib/time.js";
import { useLive } from "./live.js";

/** In-app notices to this agent (SLA reminders, remote sessions soon, on-site decisions), dismissable. */
export function NoticesBar() {
  const { t, locale } = useI18n();
  const { state, dispatch } = useLive();
  if (state.notices.length === 0) return null;
  return (
    <section class="notices" data-testid="notices">
      {state.notices.map((notice) => (
        <div class="notice" role="status">
          <span class="time">{formatTime(notice.at, locale)}</span> <span>{notice.message}</span>
          {notice.ticketId !== null && (
            <a href={`#/tickets/${notice.ticketId}`} class="link">
              {t("notice.open")}
            </a>
          )}
          <button type="button" class="link" onClick={() => dispatch({ type: "dismiss", id: notice.id })}>
            {t("common.dismiss")}
          </button>
        </div>
      ))}
    </section>
  );
}
