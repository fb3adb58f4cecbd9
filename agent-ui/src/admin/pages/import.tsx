import { useEffect, useRef, useState } from "preact/hooks";
import { useI18n } from "../../lib/i18n.js";
import { adminGet, download, uploadCsv } from "../api.js";
import { ErrorBanner, Tag } from "../components.js";
import { errorText } from "../i18n/index.js";
import { useSession } from "../session.js";

interface Problem {
  row: number | null;
  field: string | null;
  code: string;
  message: string;
}

interface Report {
  ok: boolean;
  rows: number;
  validRows: number;
  delimiter: string | null;
  /** Every problem found; `problems` lists the first 10,000. */
  problemCount: number;
  problems: Problem[];
}

interface Job {
  id: string;
  status: "queued" | "validating" | "writing" | "completed" | "rejected" | "failed";
  total: number;
  processed: number;
  durationMs: number | null;
  report: Report | null;
  result: Record<string, number> | null;
  error: string | null;
}

const SHOWN_PROBLEMS = 500;
/** A job still on its way: the page keeps polling and shows the progress bar. */
const RUNNING: Job["status"][] = ["queued", "validating", "writing"];

/** Every problem of a dry run (or a refused import), by row; problem texts translated by code. */
function ProblemTable({ report, imported = false }: { report: Report; imported?: boolean }) {
  const { t } = useI18n();
  const text = (p: Problem) => {
    const key = `import.problem.${p.code}`;
    const translated = t(key);
    return translated === key ? p.message : `${translated} (${p.message})`;
  };
  return (
    <div data-testid="report">
      <p data-testid="report-summary">
        {report.ok ? <Tag kind="ok">{t(imported ? "import.allImported" : "import.ready")}</Tag> : <Tag kind="bad">{t("import.hasProblems", { count: report.problemCount })}</Tag>}{" "}
        {t("import.summary", { rows: report.rows, valid: report.validRows })}
      </p>
      {report.problems.length > 0 && (
        <table class="problems" data-testid="problems">
          <thead>
            <tr>
              <th>{t("import.row")}</th>
              <th>{t("import.column")}</th>
              <th>{t("import.problem")}</th>
            </tr>
          </thead>
          <tbody>
            {report.problems.slice(0, SHOWN_PROBLEMS).map((p) => (
              <tr data-testid="problem">
                <td>{p.row ?? "—"}</td>
                <td>{p.field ?? "—"}</td>
                <td>{text(p)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {report.problemCount > Math.min(SHOWN_PROBLEMS, report.problems.length) && (
        <p class="muted">{t("import.moreProblems", { count: report.problemCount - Math.min(SHOWN_PROBLEMS, report.problems.length) })}</p>
      )}
    </div>
  );
}

/** CSV import: pick a file, check it (dry run), then import it all-or-nothing while a progress bar follows the job. */
export function ImportPage() {
  const i18n = useI18n();
  const { t } = i18n;
  const session = useSession();
  const [kind, setKind] = useState<"persons" | "contracts">("persons");
  const [file, setFile] = useState<File | null>(null);
  const [report, setReport] = useState<Report | null>(null);
  const [job, setJob] = useState<Job | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const polling = useRef<number | undefined>(undefined);

  useEffect(() => () => window.clearTimeout(polling.current), []);

  const reset = () => {
    setReport(null);
    setJob(null);
    setError(null);
  };
  const check = async () => {
    if (!file) return;
    reset();
    setBusy(true);
    try {
      setReport(await uploadCsv<Report>(`/imports/${kind}`, file, { dryRun: "true" }));
    } catch (failure) {
      setError(errorText(i18n, failure));
    } finally {
      setBusy(false);
    }
  };
  const follow = (id: string) => {
    polling.current = window.setTimeout(async () => {
      try {
        const next = await adminGet<Job>(`/imports/jobs/${id}`);
        setJob(next);
        if (RUNNING.includes(next.status)) follow(id);
        else setBusy(false);
      } catch (failure) {
        setError(errorText(i18n, failure));
        setBusy(false);
      }
    }, 250);
  };
  const start = async () => {
    if (!file) return;
    setJob(null);
    setError(null);
    setBusy(true);
    try {
      const started = await uploadCsv<Job>(`/imports/${kind}`, file);
      setJob(started);
      follow(started.id);
    } catch (failure) {
      setError(errorText(i18n, failure));
      setBusy(false);
    }
  };

  // The total is counted from the file's lines at upload; blank lines can make it a little high, never shown above 99% before the end.
  const percent = job && job.total > 0 ? Math.min(99, Math.round((job.processed / job.total) * 100)) : 0;
  return (
    <section class="import" data-testid="page-import">
      <h2>{t("nav.import")}</h2>
      <p class="muted">{t("import.explain")}</p>
      <div class="card">
        <label class="field">
          <span class="label">{t("import.kind")}</span>
          <select value={kind} onChange={(e) => { setKind(e.currentTarget.value as typeof kind); reset(); }} data-testid="import-kind">
            <option value="persons">{t("import.kind.persons")}</option>
            <option value="contracts">{t("import.kind.contracts")}</option>
          </select>
        </label>
        <label class="field">
          <span class="label">{t("import.file")}</span>
          <input type="file" accept=".csv,text/csv" onChange={(e) => { setFile(e.currentTarget.files?.[0] ?? null); reset(); }} data-testid="import-file" />
        </label>
        <p>
          <button type="button" class="link" onClick={() => download(`/imports/${kind}/template`, `${kind}-template.csv`).catch((failure) => setError(errorText(i18n, failure)))}>
            {t("import.template")}
          </button>
        </p>
        <div class="buttons">
          <button type="button" disabled={!file || busy} onClick={check} data-testid="dry-run">
            {t("import.check")}
          </button>
          {session.canWrite && (
            <button type="button" class="primary" disabled={!file || busy || !report?.ok} onClick={start} data-testid="import-start">
              {t("import.start")}
            </button>
          )}
        </div>
      </div>
      <ErrorBanner message={error} />
      {report && !job && <ProblemTable report={report} />}
      {job && (
        <div class="card" data-testid="job">
          <p data-testid="job-status">{t(`import.status.${job.status}`)}</p>
          {(RUNNING.includes(job.status) || job.status === "completed") && (
            <p>
              <progress max={100} value={job.status === "completed" ? 100 : percent} data-testid="progress" />{" "}
              <span data-testid="progress-text">{t("import.progress", { done: job.processed, total: job.total, percent: job.status === "completed" ? 100 : percent })}</span>
            </p>
          )}
          {job.status === "completed" && job.result && (
            <p data-testid="job-result">{t("import.done", { created: job.result.created ?? 0, seconds: ((job.durationMs ?? 0) / 1000).toFixed(1) })}</p>
          )}
          {job.status === "completed" && job.report && <ProblemTable report={job.report} imported />}
          {job.status === "rejected" && job.report && <ProblemTable report={job.report} />}
          {job.status === "failed" && <ErrorBanner message={job.error} />}
        </div>
      )}
    </section>
  );
}
