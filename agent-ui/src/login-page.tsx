import type { AgentPayload } from "../../shared-types/console-payloads.js";
import { CONSOLE_LANGUAGES, errorMessage } from "./i18n/index.js";
import { useI18n } from "./lib/i18n.js";
import { useLoginForm } from "./lib/use-login-form.js";

/** E-mail and password; wrong credentials, rate limits and outages are explained in the chosen language. */
export function LoginPage({ expired, onLoggedIn, onLanguage }: { expired: boolean; onLoggedIn: (agent: AgentPayload) => void; onLanguage: (language: string) => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { email, setEmail, password, setPassword, error, busy, submit } = useLoginForm((failure) => errorMessage(i18n, failure), onLoggedIn);

  return (
    <main class="login">
      <form class="card login-card" onSubmit={submit} data-testid="login-form">
        <h1>{t("app.title")}</h1>
        <label>
          {t("login.email")}
          <input type="email" name="email" autoComplete="username" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
        </label>
        <label>
          {t("login.password")}
          <input type="password" name="password" autoComplete="current-password" required value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
        </label>
        {expired && !error && (
          <p class="warning" role="status" data-testid="session-expired">
            {t("error.unauthorized")}
          </p>
        )}
        {error && (
          <p class="error" role="alert" data-testid="login-error">
            {error}
          </p>
        )}
        <button type="submit" class="primary" disabled={busy}>
          {t("login.submit")}
        </button>
        <div class="language-choice">
          {CONSOLE_LANGUAGES.map((language) => (
            <button type="button" class={language === i18n.language ? "link active" : "link"} onClick={() => onLanguage(language)}>
              {t(`language.${language}`)}
            </button>
          ))}
        </div>
      </form>
    </main>
  );
}
