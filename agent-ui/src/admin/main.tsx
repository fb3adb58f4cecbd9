import { render } from "preact";
import { useEffect, useMemo, useState } from "preact/hooks";
import { apiFetch, ApiError, UNAUTHORIZED_EVENT } from "../lib/api.js";
import { useHashRoute } from "../lib/hash-route.js";
import { I18nContext, initialLanguage, makeI18n } from "../lib/i18n.js";
import { adminGet } from "./api.js";
import { ADMIN_LANGUAGES, adminCatalogs } from "./i18n/index.js";
import { AdminLogin } from "./login.js";
import { agentSpec, type AgentRow } from "./pages/agents.js";
import { AuditPage } from "./pages/audit.js";
import { campusSpec, type CampusRow } from "./pages/campuses.js";
import { contractSpec, type ContractRow } from "./pages/contracts.js";
import { customerSpec, type CustomerRow } from "./pages/customers.js";
import { ImportPage } from "./pages/import.js";
import { OutboxPage } from "./pages/outbox.js";
import { personSpec, type PersonRow } from "./pages/persons.js";
import { productSpec, type ProductRow } from "./pages/products.js";
import { ReferenceReportPage } from "./pages/report.js";
import { slaPolicySpec, type SlaPolicyRow } from "./pages/sla-policies.js";
import { ResourcePage } from "./resource-page.js";
import { SessionContext, type AdminSession } from "./session.js";
import "./admin.css";

const STORAGE_KEY = "sd:admin-lang";
const NAV = ["customers", "campuses", "persons", "products", "contracts", "sla-policies", "agents", "import", "report", "audit", "outbox"] as const;
/** Pages for administrators only (their API refuses supervisors). */
const ADMIN_ONLY: readonly string[] = ["outbox"];
const NAV_LABEL: Record<(typeof NAV)[number], string> = {
  customers: "nav.customers", campuses: "nav.campuses", persons: "nav.persons", products: "nav.products", contracts: "nav.contracts",
  "sla-policies": "nav.slaPolicies", agents: "nav.agents", import: "nav.import", report: "nav.report", audit: "nav.audit", outbox: "nav.outbox",
};

/** The administration pages: login, then lists and forms per resource, CSV import, R3 report, audit trail. */
function AdminApp() {
  const [language, setLanguage] = useState(() => initialLanguage(ADMIN_LANGUAGES, STORAGE_KEY));
  const [session, setSession] = useState<AdminSession | null | undefined>(undefined);
  const i18n = useMemo(() => makeI18n(adminCatalogs, language), [language]);
  const route = useHashRoute().replace(/^\//, "") || "customers";
  const chooseLanguage = (next: string) => {
    localStorage.setItem(STORAGE_KEY, next);
    setLanguage(next);
  };
  const loadSession = async () => {
    try {
      const answer = await adminGet<AdminSession>("/session");
      setSession(answer);
      if (!localStorage.getItem(STORAGE_KEY) && (ADMIN_LANGUAGES as readonly string[]).includes(answer.agent.uiLanguage)) setLanguage(answer.agent.uiLanguage);
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) setSession(null);
      else throw error;
    }
  };
  useEffect(() => {
    void loadSession();
    const onUnauthorized = () => setSession(null);
    window.addEventListener(UNAUTHORIZED_EVENT, onUnauthorized);
    return () => window.removeEventListener(UNAUTHORIZED_EVENT, onUnauthorized);
  }, []);
  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);

  const logout = async () => {
    await apiFetch("/api/auth/logout", { method: "POST" }).catch(() => undefined);
    setSession(null);
  };

  let content;
  if (session === undefined) content = <p class="muted">…</p>;
  else if (session === null) content = <AdminLogin onLoggedIn={loadSession} onLanguage={chooseLanguage} />;
  else if (!session.canRead) {
    content = (
      <main class="login">
        <div class="card" data-testid="no-access">
          <p>{i18n.t("app.noAccess")}</p>
          <button type="button" onClick={logout}>
            {i18n.t("app.logout")}
          </button>
        </div>
      </main>
    );
  } else {
    const nav = NAV.filter((item) => session.canWrite || !ADMIN_ONLY.includes(item));
    const page = (nav as readonly string[]).includes(route) ? (route as (typeof NAV)[number]) : "customers";
    content = (
      <div class="admin">
        <header class="topbar">
          <h1>{i18n.t("app.title")}</h1>
          <span class="who" data-testid="who">
            {session.agent.name} · {i18n.t(`agentRole.${session.agent.role}`)}
          </span>
          <select aria-label={i18n.t("app.language")} value={language} onChange={(e) => chooseLanguage(e.currentTarget.value)} data-testid="language">
            {ADMIN_LANGUAGES.map((code) => (
              <option value={code}>{i18n.t(`language.${code}`)}</option>
            ))}
          </select>
          <a class="to-console" href="/" data-testid="to-console">
            {i18n.t("app.toConsole")}
          </a>
          <button type="button" onClick={logout} data-testid="logout">
            {i18n.t("app.logout")}
          </button>
        </header>
        <nav class="sidenav">
          {nav.map((item) => (
            <a href={`#/${item}`} class={item === page ? "active" : ""} data-testid={`nav-${item}`}>
              {i18n.t(NAV_LABEL[item])}
            </a>
          ))}
          {/* The job board is a page of its own (bull-board), for administrators only. */}
          {session.canWrite && (
            <a href="/admin/queues" data-testid="nav-jobs">
              {i18n.t("nav.jobs")}
            </a>
          )}
        </nav>
        <main class="content">
          {page === "customers" && <ResourcePage<CustomerRow> key={`c-${language}`} spec={customerSpec(i18n)} />}
          {page === "campuses" && <ResourcePage<CampusRow> key={`ca-${language}`} spec={campusSpec(i18n)} />}
          {page === "persons" && <ResourcePage<PersonRow> key={`p-${language}`} spec={personSpec(i18n)} />}
          {page === "products" && <ResourcePage<ProductRow> key={`pr-${language}`} spec={productSpec(i18n)} />}
          {page === "contracts" && <ResourcePage<ContractRow> key={`co-${language}`} spec={contractSpec(i18n)} />}
          {page === "sla-policies" && <ResourcePage<SlaPolicyRow> key={`s-${language}`} spec={slaPolicySpec(i18n)} />}
          {page === "agents" && <ResourcePage<AgentRow> key={`a-${language}`} spec={agentSpec(i18n)} />}
          {page === "import" && <ImportPage />}
          {page === "report" && <ReferenceReportPage />}
          {page === "audit" && <AuditPage />}
          {page === "outbox" && <OutboxPage />}
        </main>
      </div>
    );
  }
  return (
    <I18nContext.Provider value={i18n}>
      <SessionContext.Provider value={session ?? { agent: { id: 0, name: "", email: "", role: "agent", uiLanguage: language }, canRead: false, canWrite: false }}>{content}</SessionContext.Provider>
    </I18nContext.Provider>
  );
}

render(<AdminApp />, document.getElementById("admin")!);
