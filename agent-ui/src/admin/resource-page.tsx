import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import { useI18n } from "../lib/i18n.js";
import { useAsync } from "../lib/use-async.js";
import { adminGet, adminSend, type Page } from "./api.js";
import { ConfirmButton, ErrorBanner, Pager, SearchBar } from "./components.js";
import { FieldInput, formBody, type FieldSpec, type FormValues, type Option } from "./fields.js";
import { errorText, fieldErrors } from "./i18n/index.js";
import { useSession } from "./session.js";

/** A select filter above a list (customer, role …). */
export interface FilterSpec {
  name: string;
  label: string;
  options: Option[] | (() => Promise<Option[]>);
}

/** Everything a list-and-form page of one resource needs. */
export interface ResourceSpec<T extends { id: number }> {
  /** API path below /api/admin, e.g. "/customers". */
  path: string;
  title: string;
  columns: { label: string; cell: (row: T) => ComponentChildren }[];
  fields: FieldSpec[];
  blank: () => FormValues;
  fromRow: (row: T) => FormValues;
  filters?: FilterSpec[];
  /** Extra actions on the edit panel (PIN reset, export, erase …); `done` reloads the list. */
  actions?: (row: T, done: (updated?: T) => void) => ComponentChildren;
  /** A short name of a row, for headings. */
  describe: (row: T) => string;
}

function FilterSelect({ filter, value, onChange }: { filter: FilterSpec; value: string; onChange: (value: string) => void }) {
  const { t } = useI18n();
  const options = useAsync(async () => (Array.isArray(filter.options) ? filter.options : filter.options()), []);
  return (
    <select aria-label={t(filter.label)} value={value} onChange={(e) => onChange(e.currentTarget.value)} data-testid={`filter-${filter.name}`}>
      <option value="">{t(filter.label)}: {t("list.all")}</option>
      {(options.data ?? []).map((option) => (
        <option value={option.value}>{option.label}</option>
      ))}
    </select>
  );
}

/** List with search, filters and pages, plus a create/edit form whose errors come from the API's 400/409 answer. */
export function ResourcePage<T extends { id: number }>({ spec }: { spec: ResourceSpec<T> }) {
  const i18n = useI18n();
  const { t } = i18n;
  const session = useSession();
  const [query, setQuery] = useState<{ q: string; page: number; filters: Record<string, string> }>({ q: "", page: 1, filters: {} });
  const [editing, setEditing] = useState<{ mode: "create" } | { mode: "edit"; row: T } | null>(null);
  const [values, setValues] = useState<FormValues>({});
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const list = useAsync((signal) => adminGet<Page<T>>(spec.path, { q: query.q, page: query.page, pageSize: 20, ...query.filters }, signal), [spec.path, query]);

  const open = (next: { mode: "create" } | { mode: "edit"; row: T }) => {
    setEditing(next);
    setValues(next.mode === "create" ? spec.blank() : spec.fromRow(next.row));
    setErrors({});
    setMessage(null);
    setNotice(null);
  };
  const fail = (error: unknown) => {
    setErrors(fieldErrors(error));
    setMessage(errorText(i18n, error));
  };
  const save = async (event: Event) => {
    event.preventDefault();
    if (!editing) return;
    setBusy(true);
    try {
      const body = formBody(spec.fields, values, editing.mode);
      const saved = editing.mode === "create" ? await adminSend<T>("POST", spec.path, body) : await adminSend<T>("PATCH", `${spec.path}/${editing.row.id}`, body);
      open({ mode: "edit", row: saved });
      setNotice(t("form.saved"));
      list.reload();
    } catch (error) {
      fail(error);
    } finally {
      setBusy(false);
    }
  };
  const remove = async (row: T) => {
    try {
      await adminSend("DELETE", `${spec.path}/${row.id}`);
      setEditing(null);
      list.reload();
    } catch (error) {
      fail(error);
    }
  };

  return (
    <section class="resource" data-testid={`page-${spec.path.slice(1)}`}>
      <header class="resource-head">
        <h2>{t(spec.title)}</h2>
        {session.canWrite && (
          <button type="button" class="primary" onClick={() => open({ mode: "create" })} data-testid="new">
            {t("action.new")}
          </button>
        )}
      </header>
      <SearchBar value={query.q} onSearch={(q) => setQuery({ ...query, q, page: 1 })}>
        {(spec.filters ?? []).map((filter) => (
          <FilterSelect filter={filter} value={query.filters[filter.name] ?? ""} onChange={(value) => setQuery({ ...query, page: 1, filters: { ...query.filters, [filter.name]: value } })} />
        ))}
      </SearchBar>
      <ErrorBanner message={list.error ? errorText(i18n, list.error) : null} testId="list-error" />
      <div class="split">
        <div class="list">
          <table data-testid="list">
            <thead>
              <tr>
                {spec.columns.map((column) => (
                  <th>{t(column.label)}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {(list.data?.items ?? []).map((row) => (
                <tr class={editing?.mode === "edit" && editing.row.id === row.id ? "selected" : ""} onClick={() => open({ mode: "edit", row })} data-testid="row">
                  {spec.columns.map((column) => (
                    <td>{column.cell(row)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          {list.data && list.data.total === 0 && <p class="muted">{t("list.empty")}</p>}
          {list.data && <Pager page={list.data.page} pageSize={list.data.pageSize} total={list.data.total} onPage={(page) => setQuery({ ...query, page })} />}
        </div>
        {editing && (
          <form class="card editor" onSubmit={save} data-testid="editor" noValidate>
            <h3>{editing.mode === "create" ? t("form.create") : spec.describe(editing.row)}</h3>
            <fieldset disabled={!session.canWrite || busy}>
              {spec.fields
                .filter((field) => editing.mode === "create" || !field.createOnly)
                .map((field) => (
                  <FieldInput key={field.name} field={field} values={values} errors={errors} onChange={(name, value) => setValues((previous) => ({ ...previous, [name]: value }))} />
                ))}
            </fieldset>
            <ErrorBanner message={message} testId="form-error" />
            {notice && (
              <p class="notice" role="status" data-testid="form-notice">
                {notice}
              </p>
            )}
            <div class="buttons">
              {session.canWrite && (
                <button type="submit" class="primary" disabled={busy} data-testid="save">
                  {t("action.save")}
                </button>
              )}
              <button type="button" onClick={() => setEditing(null)}>
                {t("action.close")}
              </button>
              {session.canWrite && editing.mode === "edit" && (
                <ConfirmButton label={t("action.delete")} confirmLabel={t("action.confirmDelete")} onConfirm={() => remove(editing.row)} testId="delete" />
              )}
            </div>
            {session.canWrite && editing.mode === "edit" && spec.actions && (
              <div class="actions">
                {spec.actions(editing.row, (updated) => {
                  if (updated) open({ mode: "edit", row: updated });
                  list.reload();
                })}
              </div>
            )}
          </form>
        )}
      </div>
    </section>
  );
}
