import type { ComponentChildren } from "preact";
import { useEffect, useMemo, useState } from "preact/hooks";
import type { AgentPayload } from "../../../shared-types/console-payloads.js";
import { CONSOLE_LANGUAGES, catalogs } from "../i18n/index.js";
import { apiFetch, UNAUTHORIZED_EVENT } from "../lib/api.js";
import { CONSOLE_LANGUAGE_KEY, I18nContext, initialLanguage, makeI18n } from "../lib/i18n.js";
import { LoginPage } from "../login-page.js";

/**
 * The simulator needs a desk login (the server answers /sim with 401 without one): the console's own login page until
 * GET /api/me knows the account, and again when a /sim request finds the session gone.
 */
export function LoginGate({ children }: { children: ComponentChildren }) {
  const [me, setMe] = useState<AgentPayload | null | undefined>(undefined);
  const [expired, setExpired] = useState(false);
  const [language, setLanguage] = useState(() => initialLanguage(CONSOLE_LANGUAGES));
  const i18n = useMemo(() => makeI18n(catalogs, me?.uiLanguage ?? language), [me?.uiLanguage, language]);

  useEffect(() => {
    apiFetch<{ agent: AgentPayload }>("/api/me").then((body) => setMe(body.agent), () => setMe(null));
    const onUnauthorized = () => {
      setExpired(true);
      setMe(null);
    };
    window.addEventListener(UNAUTHORIZED_EVENT, onUnauthorized);
    return () => window.removeEventListener(UNAUTHORIZED_EVENT, onUnauthorized);
  }, []);

  if (me === undefined) return null;
  if (me) return <>{children}</>;
  return (
    <I18nContext.Provider value={i18n}>
      <LoginPage
        expired={expired}
        onLoggedIn={(agent) => {
          setExpired(false);
          setMe(agent);
        }}
        onLanguage={(chosen) => {
          localStorage.setItem(CONSOLE_LANGUAGE_KEY, chosen);
          setLanguage(chosen);
        }}
      />
    </I18nContext.Provider>
  );
}
