import { createContext } from "preact";
import { useContext } from "preact/hooks";

/** The logged-in account as GET /api/admin/session describes it. */
export interface AdminSession {
  agent: { id: number; name: string; email: string; role: string; uiLanguage: string };
  canRead: boolean;
  canWrite: boolean;
}

export const SessionContext = createContext<AdminSession>({ agent: { id: 0, name: "", email: "", role: "agent", uiLanguage: "nl" }, canRead: false, canWrite: false });

/** The current session (inside the app). */
export function useSession(): AdminSession {
  return useContext(SessionContext);
}
