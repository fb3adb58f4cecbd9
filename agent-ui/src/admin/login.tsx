import { useI18n } from "../lib/i18n.js";
import { useLoginForm } from "../lib/use-login-form.js";
import { ErrorBanner } from "./components.js";
import { ADMIN_LANGUAGES, errorText } from "./i18n/index.js";

/** E-mail and password (POST /api/auth/login sets the sd_session cookie). */
export function AdminLogin({ onLoggedIn, onLanguage }: { onLoggedIn: () => void; onLanguage: (language: string) => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { email, setEmail, password, setPassword, error, busy, submit } = useLoginForm((failure) => errorText(i18n, failure), () => onLoggedIn());
  return (
    <main class="login">
      <form class="card" onSubmit={submit} data-testid="login-form">
        <h1>{t("app.title")}</h1>
        <label class="field">
          <span class="label">{t("login.email")}</span>
          <input type="email" name="email" autoComplete="username" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} />
        </label>
        <label class="field">
          <span class="label">{t("login.password")}</span>
          <input type="password" name="password" autoComplete="current-password" required value={password} onInput={(e) => setPassword(e.currentTarget.value)} />
        </label>
        <ErrorBanner message={error} testId="login-error" />
        <button type="submit" class="primary" disabled={busy}>
          {t("login.submit")}
        </button>
        <p class="languages">
          {ADMIN_LANGUAGES.map((language) => (
            <button type="button" class={language === i18n.language ? "link active" : "link"} onClick={() => onLanguage(language)} data-testid={`language-${language}`}>
              {t(`language.${language}`)}
            </button>
          ))}
        </p>
      </form>
    </main>
  );
}
