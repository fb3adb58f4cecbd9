import { useState } from "preact/hooks";
import { errorMessage } from "../i18n/index.js";
import { useI18n } from "../lib/i18n.js";

/** Runs a form's request, keeping its busy flag and its error message (translated when known). */
export function useSubmit(): { busy: boolean; error: string | null; run: (work: () => Promise<void>) => Promise<boolean>; setError: (message: string | null) => void } {
  const i18n = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
      return true;
    } catch (failure) {
      setError(errorMessage(i18n, failure));
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run, setError };
}
