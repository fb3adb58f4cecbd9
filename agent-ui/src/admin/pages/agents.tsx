import { useState } from "preact/hooks";
import { useI18n, type I18n } from "../../lib/i18n.js";
import { adminSend } from "../api.js";
import { ErrorBanner, Tag } from "../components.js";
import { errorText } from "../i18n/index.js";
import type { ResourceSpec } from "../resource-page.js";
import { translatedOptions } from "./options.js";

export interface AgentRow {
  id: number;
  email: string;
  name: string;
  role: "agent" | "supervisor" | "admin";
  languages: string[];
  uiLanguage: string;
  phoneNumber: string | null;
  status: string;
  active: boolean;
}

/** Sets a new password for an account. */
function PasswordReset({ agent }: { agent: AgentRow }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [password, setPassword] = useState("");
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const submit = async () => {
    setError(null);
    setMessage(null);
    try {
      await adminSend("PUT", `/agents/${agent.id}/password`, { password });
      setPassword("");
      setMessage(t("agent.passwordSet"));
    } catch (failure) {
      setError(errorText(i18n, failure));
    }
  };
  return (
    <div>
      <h4>{t("agent.password")}</h4>
      <span class="inline-form">
        <input type="password" autoComplete="new-password" aria-label={t("agent.newPassword")} placeholder={t("agent.newPassword")} value={password} onInput={(e) => setPassword(e.currentTarget.value)} data-testid="password-input" />
        <button type="button" onClick={submit} data-testid="password-set">
          {t("agent.setPassword")}
        </button>
      </span>
      {message && <p class="notice" role="status">{message}</p>}
      <ErrorBanner message={error} testId="action-error" />
    </div>
  );
}

/** Desk accounts: role, languages spoken (R8), password. */
export function agentSpec({ t }: I18n): ResourceSpec<AgentRow> {
  return {
    path: "/agents",
    title: "nav.agents",
    describe: (row) => row.name,
    filters: [{ name: "role", label: "agent.role", options: translatedOptions(["agent", "supervisor", "admin"], "agentRole", t) }],
    columns: [
      { label: "agent.name", cell: (row) => row.name },
      { label: "agent.email", cell: (row) => row.email },
      { label: "agent.role", cell: (row) => t(`agentRole.${row.role}`) },
      { label: "agent.languages", cell: (row) => row.languages.join(", ") },
      { label: "agent.active", cell: (row) => (row.active ? <Tag kind="ok">{t("common.yes")}</Tag> : <Tag kind="muted">{t("common.no")}</Tag>) },
    ],
    fields: [
      { name: "name", label: "agent.name", kind: "text", required: true, maxLength: 200 },
      { name: "email", label: "agent.email", kind: "email", required: true, maxLength: 200 },
      { name: "role", label: "agent.role", kind: "select", options: translatedOptions(["agent", "supervisor", "admin"], "agentRole", t), required: true },
      { name: "languages", label: "agent.languages", kind: "checks", options: translatedOptions(["nl", "fr", "en", "de"], "language", t), required: true },
      { name: "uiLanguage", label: "agent.uiLanguage", kind: "select", options: translatedOptions(["nl", "fr", "en"], "language", t) },
      { name: "phoneNumber", label: "agent.phoneNumber", kind: "text", nullable: true, maxLength: 40 },
      { name: "active", label: "agent.active", kind: "checkbox" },
      { name: "password", label: "agent.password", kind: "password", createOnly: true, required: true, maxLength: 200 },
    ],
    blank: () => ({ name: "", email: "", role: "agent", languages: ["nl"], uiLanguage: "nl", phoneNumber: "", active: true, password: "" }),
    fromRow: (row) => ({ name: row.name, email: row.email, role: row.role, languages: [...row.languages], uiLanguage: row.uiLanguage, phoneNumber: row.phoneNumber ?? "", active: row.active }),
    actions: (row) => <PasswordReset agent={row} />,
  };
}
