import { useEffect } from "preact/hooks";
import { AGENT_STATUSES, CONTACT_TYPES } from "../../../entities/enums.js";
import type { AgentPayload, QueueMetrics, SupervisorMetrics } from "../../../shared-types/console-payloads.js";
import { Badge, TicketTable } from "../components/bits.js";
import { useLive } from "../console/live.js";
import { apiFetch } from "../lib/api.js";
import { useI18n } from "../lib/i18n.js";
import { formatDateTime, formatDuration, formatTime, secondsSince, useNow } from "../lib/time.js";
import { OnSiteDecision } from "../tickets/on-site-panel.js";
import { HourlyChart } from "./hourly-chart.js";

/** SPEC §5 live: queues per language and in total, agents, SLA risk, consents, on-site approvals, calls per hour. */
export function SupervisorView({ me }: { me: AgentPayload }) {
  const { t, locale } = useI18n();
  const { state, dispatch } = useLive();
  const metrics = state.metrics;

  useEffect(() => {
    if (!metrics) apiFetch<{ metrics: SupervisorMetrics }>("/api/supervisor/metrics").then((body) => dispatch({ type: "metrics", metrics: body.metrics }), () => undefined);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  void me;
  if (!metrics) return <p class="muted">{t("common.loading")}</p>;

  return (
    <section class="supervisor" data-testid="supervisor-view">
      <h1>
        {t("nav.supervisor")} <span class="muted">{t("supervisor.today", { day: metrics.day })}</span>
      </h1>
      {state.alerts.length > 0 && (
        <ul class="plain alerts" data-testid="supervisor-alerts">
          {state.alerts.map((alert) => (
            <li class="alert" role="alert">
              <span class="time">{formatTime(alert.at, locale)}</span> {alert.message}
              {alert.ticketId !== null && (
                <a href={`#/tickets/${alert.ticketId}`} class="link">
                  {t("notice.open")}
                </a>
              )}
              <button type="button" class="link" onClick={() => dispatch({ type: "dismiss", id: alert.id })}>
                {t("common.dismiss")}
              </button>
            </li>
          ))}
        </ul>
      )}
      <div class="counters">
        <Counter label={t("supervisor.waiting")} value={metrics.total.waiting} testId="m-waiting" />
        <Counter label={t("supervisor.offered")} value={metrics.total.offered} testId="m-offered" />
        <Counter label={t("supervisor.answered")} value={metrics.total.answered} testId="m-answered" />
        <Counter label={t("supervisor.abandoned")} value={metrics.total.abandoned} testId="m-abandoned" />
        <Counter label={t("supervisor.serviceLevel")} value={percent(metrics.total.serviceLevel)} testId="m-service-level" />
        <Counter label={t("supervisor.slaAtRisk")} value={metrics.sla.atRisk} testId="m-sla-risk" />
        <Counter label={t("supervisor.slaBreached")} value={metrics.sla.breached} testId="m-sla-breached" />
        <Counter label={t("supervisor.pendingConsents")} value={metrics.pendingCostConsents} testId="m-consents" />
        <Counter label={t("supervisor.onSitePending")} value={metrics.onSitePending.length} testId="m-onsite" />
      </div>
      <QueueTable metrics={metrics} />
      <h2>{t("supervisor.perHour")}</h2>
      <HourlyChart buckets={metrics.callsPerHour} />
      <div class="panels">
        <section class="card panel">
          <h2>{t("supervisor.agents")}</h2>
          <table data-testid="supervisor-agents">
            <tbody>
              {metrics.agents.map((agent) => (
                <tr data-agent-id={agent.id}>
                  <td>{agent.name}</td>
                  <td>
                    <span class={`status-dot ${agent.status}`} /> {t(`status.${agent.status}`)}
                  </td>
                  <td class="muted">{agent.statusChangedAt ? formatDateTime(agent.statusChangedAt, locale) : ""}</td>
                  <td>{agent.languages.map((l) => l.toUpperCase()).join(" ")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section class="card panel" data-testid="supervisor-onsite">
          <h2>{t("supervisor.onSitePending")}</h2>
          {metrics.onSitePending.length === 0 && <p class="muted">{t("supervisor.nothingPending")}</p>}
          <ul class="plain">
            {metrics.onSitePending.map((request) => (
              <li>
                <a href={`#/tickets/${request.ticketId}`}>{request.ticketNumber}</a> {request.customer?.name ?? ""} — {request.reason}{" "}
                <span class="muted">({request.requestedBy?.name ?? ""})</span>
                <OnSiteDecision request={request} onDecided={() => undefined} />
              </li>
            ))}
          </ul>
        </section>
      </div>
      <h2>
        {t("supervisor.slaTickets")} <Badge kind="sla-breached">{metrics.sla.breached}</Badge> <Badge kind="sla-at_risk">{metrics.sla.atRisk}</Badge>
      </h2>
      <TicketTable tickets={metrics.sla.tickets} testId="sla-tickets" />
    </section>
  );
}

function Counter({ label, value, testId }: { label: string; value: string | number; testId: string }) {
  return (
    <div class="counter card">
      <span class="value" data-testid={testId}>
        {value}
      </span>
      <span class="label">{label}</span>
    </div>
  );
}

const percent = (share: number | null) => (share === null ? "—" : `${Math.round(share * 100)}%`);

function QueueTable({ metrics }: { metrics: SupervisorMetrics }) {
  const { t } = useI18n();
  const now = useNow();
  const rows: QueueMetrics[] = [...metrics.queues, metrics.total];
  return (
    // One column per agent status and contact type: on a narrow window the table scrolls within its card, not the page
    // (a named region that takes focus, so keyboard users can scroll it too).
    <div class="table-scroll" role="region" aria-label={t("supervisor.queueTable")} tabIndex={0}>
    <table class="queues" data-testid="queue-table">
      <thead>
        <tr>
          <th>{t("supervisor.queue")}</th>
          <th>{t("supervisor.waiting")}</th>
          <th>{t("supervisor.longestWait")}</th>
          {AGENT_STATUSES.map((status) => (
            <th>{t(`status.${status}`)}</th>
          ))}
          <th>{t("supervisor.offered")}</th>
          <th>{t("supervisor.answered")}</th>
          <th>{t("supervisor.abandoned")}</th>
          <th>{t("supervisor.serviceLevel")}</th>
          <th>{t("supervisor.averageWait")}</th>
          <th>{t("supervisor.averageHandle")}</th>
          {CONTACT_TYPES.map((type) => (
            <th>{t(`type.${type}`)}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((queue) => (
          <tr class={queue.language === "all" ? "total" : ""} data-queue={queue.language}>
            <th>{queue.language === "all" ? t("supervisor.total") : queue.language.toUpperCase()}</th>
            <td>{queue.waiting}</td>
            <td>{queue.longestWaitingSince ? formatDuration(secondsSince(queue.longestWaitingSince, now)) : "—"}</td>
            {AGENT_STATUSES.map((status) => (
              <td>{queue.agents[status]}</td>
            ))}
            <td>{queue.offered}</td>
            <td>{queue.answered}</td>
            <td>{queue.abandoned}</td>
            <td>{percent(queue.serviceLevel)}</td>
            <td>{formatDuration(queue.averageWaitSeconds)}</td>
            <td>{formatDuration(queue.averageHandleSeconds)}</td>
            {CONTACT_TYPES.map((type) => (
              <td>{queue.ticketsByType[type]}</td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
    </div>
  );
}
