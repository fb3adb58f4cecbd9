import { useState } from "preact/hooks";
import type { AgentPayload } from "../../../shared-types/console-payloads.js";
import { apiFetch } from "./api.js";

/**
 * The state and submit of an e-mail and password form (POST /api/auth/login sets the sd_session cookie),
 * shared by the console's and the admin pages' login; `explain` turns a failure into the page's own words.
 */
export function useLoginForm(explain: (failure: unknown) => string, onLoggedIn: (agent: AgentPayload) => void) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body = await apiFetch<{ agent: AgentPayload }>("/api/auth/login", { method: "POST", body: { email, password } });
      onLoggedIn(body.agent);
    } catch (failure) {
      setError(explain(failure));
    } finally {
      setBusy(false);
    }
  };
  return { email, setEmail, password, setPassword, error, busy, submit };
}
