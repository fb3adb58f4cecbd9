import { MANUAL_AGENT_STATUSES } from "../../entities/enums.js";
import type { AgentPayload, AgentStatus } from "../../shared-types/console-payloads.js";
import { CallbacksPanel } from "./console/callbacks-panel.js";
import { ConsoleView } from "./console/console-view.js";
import { LiveContext, useLiveConnection } from "./console/live.js";
import { NoticesBar } from "./console/notices-bar.js";
import { PopsPanel } from "./console/pops-panel.js";
import { CustomerView } from "./customers/customer-view.js";
import { CustomersView } from "./customers/customers-view.js";
import { CONSOLE_LANGUAGES, errorMessage } from "./i18n/index.js";
import { apiFetch } from "./lib/api.js";
import { useHashRoute } from "./lib/hash-route.js";
import { useI18n } from "./lib/i18n.js";
import { Softphone } from "./softphone/call-bar.js";
import { SupervisorView } from "./supervisor/supervisor-view.js";
import { TicketView } from "./tickets/ticket-view.js";
import { TicketsView } from "./tickets/tickets-view.js";


/** The logged-in console: header (navigation, status, language), incoming pops beside every page. */
export function Shell({ me, onMe, onLoggedOut }: { me: AgentPayload; onMe: (agent: AgentPayload) => void; onLoggedOut: () => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const live = useLiveConnection(me, onMe);
  const route = useHashRoute();
  const isSupervisor = me.role === "supervisor" || me.role === "admin";

  const setStatus = async (status: AgentStatus) => {
    try {
      onMe((await apiFetch<{ agent: AgentPayload }>("/api/me/status", { method: "PUT", body: { status } })).agent);
    } catch (error) {
      window.alert(errorMessage(i18n, error));
    }
  };
  const setLanguage = async (uiLanguage: string) => {
    onMe((await apiFetch<{ agent: AgentPayload }>("/api/me", { method: "PATCH", body: { uiLanguage } })).agent);
  };
  const logout = async () => {
    await apiFetch("/api/auth/logout", { method: "POST" }).catch(() => undefined);
    onLoggedOut();
  };

  const [, section, id] = route.split("/");
  const page =
    section === "tickets" && id ? <TicketView ticketId={Number(id)} me={me} />
    : section === "tickets" ? <TicketsView />
    : section === "customers" && id ? <CustomerView customerId={Number(id)} />
    : section === "customers" ? <CustomersView />
    : section === "supervisor" && isSupervisor ? <SupervisorView me={me} />
    : <ConsoleView me={me} onStatus={setStatus} />;

  const nav = [
    ["console", "#/"],
    ["tickets", "#/tickets"],
    ["customers", "#/customers"],
    ...(isSupervisor ? [["supervisor", "#/supervisor"]] : []),
  ] as const;
  const activeSection = section === "" || section === undefined ? "console" : section;

  return (
    <LiveContext.Provider value={live}>
      <header class="top">
        <strong class="brand">{t("app.title")}</strong>
        <nav>
          {nav.map(([name, href]) => (
            <a href={href} class={activeSection === name ? "active" : ""} data-testid={`nav-${name}`}>
              {t(`nav.${name}`)}
            </a>
          ))}
          {isSupervisor && (
            <a href="/admin.html" data-testid="nav-admin">
              {t("nav.admin")}
            </a>
          )}
        </nav>
        <span class={live.state.connected ? "connection ok" : "connection down"} title={t(live.state.connected ? "connection.ok" : "connection.down")}>
          {t(live.state.connected ? "connection.ok" : "connection.down")}
        </span>
        <label class="status-picker">
          <span class={`status-dot ${me.status}`} />
          <select aria-label={t("status.label")} data-testid="status-select" value={me.status} onChange={(e) => setStatus(e.currentTarget.value as AgentStatus)}>
            {me.status === "on_call" && <option value="on_call">{t("status.on_call")}</option>}
            {me.status === "missed" && <option value="missed">{t("status.missed")}</option>}
            {MANUAL_AGENT_STATUSES.map((status) => (
              <option value={status}>{t(`status.${status}`)}</option>
            ))}
          </select>
        </label>
        <select aria-label={t("common.language")} data-testid="language-select" value={me.uiLanguage} onChange={(e) => setLanguage(e.currentTarget.value)}>
          {CONSOLE_LANGUAGES.map((language) => (
            <option value={language}>{t(`language.${language}`)}</option>
          ))}
        </select>
        <span class="me" data-testid="me-name">{me.name}</span>
        <button type="button" class="link" onClick={logout} data-testid="logout">
          {t("login.logout")}
        </button>
      </header>
      <NoticesBar />
      <Softphone me={me} />
      <div class="layout">
        <main class="page">{page}</main>
        <aside class="incoming">
          <PopsPanel me={me} />
          <CallbacksPanel />
        </aside>
      </div>
    </LiveContext.Provider>
  );
}
