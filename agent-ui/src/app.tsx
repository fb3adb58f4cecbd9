import { useEffect, useMemo, useState } from "preact/hooks";
import type { AgentPayload } from "../../shared-types/console-payloads.js";
import { CONSOLE_LANGUAGES, catalogs } from "./i18n/index.js";
import { apiFetch, UNAUTHORIZED_EVENT } from "./lib/api.js";
import { CONSOLE_LANGUAGE_KEY, I18nContext, initialLanguage, makeI18n } from "./lib/i18n.js";
import { LoginPage } from "./login-page.js";
import { Shell } from "./shell.js";

/** Session gate: the login page, or the console of the logged-in agent in their chosen language. */
export function App() {
  const [me, setMe] = useState<AgentPayload | null | undefined>(undefined);
  const [expired, setExpired] = useState(false);
  const [guestLanguage, setGuestLanguage] = useState(() => initialLanguage(CONSOLE_LANGUAGES));
  const language = me?.uiLanguage ?? guestLanguage;
  const i18n = useMemo(() => makeI18n(catalogs, language), [language]);

  useEffect(() => {
    apiFetch<{ agent: AgentPayload }>("/api/me").then((body) => setMe(body.agent), () => setMe(null));
    const onUnauthorized = () =>
      setMe((previous) => {
        if (previous) setExpired(true);
        return null;
      });
    window.addEventListener(UNAUTHORIZED_EVENT, onUnauthorized);
    return () => window.removeEventListener(UNAUTHORIZED_EVENT, onUnauthorized);
  }, []);
  useEffect(() => {
    document.documentElement.lang = language;
    localStorage.setItem(CONSOLE_LANGUAGE_KEY, language);
  }, [language]);

  return (
    <I18nContext.Provider value={i18n}>
      {me === undefined ? (
        <p class="loading">{i18n.t("common.loading")}</p>
      ) : me === null ? (
        <LoginPage
          expired={expired}
          onLoggedIn={(agent) => {
            setExpired(false);
            setMe(agent);
          }}
          onLanguage={(chosen) => {
            // Kept at once, not only in the effect after the next render: a reload right after the click keeps it.
            localStorage.setItem(CONSOLE_LANGUAGE_KEY, chosen);
            setGuestLanguage(chosen);
          }}
        />
      ) : (
        <Shell me={me} onMe={setMe} onLoggedOut={() => setMe(null)} />
      )}
    </I18nContext.Provider>
  );
}
