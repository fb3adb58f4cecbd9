import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import { useI18n } from "../lib/i18n.js";

/** A coloured label; text only. */
export function Tag({ kind, children, testId }: { kind: "ok" | "bad" | "muted" | "info"; children: ComponentChildren; testId?: string }) {
  return (
    <span class={`tag tag-${kind}`} data-testid={testId}>
      {children}
    </span>
  );
}

/** An error banner (role=alert), or nothing. */
export function ErrorBanner({ message, testId = "error" }: { message: string | null; testId?: string }) {
  return message ? (
    <p class="error" role="alert" data-testid={testId}>
      {message}
    </p>
  ) : null;
}

/** Search box that submits on Enter or the button, so lists are not queried on every key press. */
export function SearchBar({ value, onSearch, children }: { value: string; onSearch: (q: string) => void; children?: ComponentChildren }) {
  const { t } = useI18n();
  const [text, setText] = useState(value);
  return (
    <form
      class="search"
      role="search"
      onSubmit={(event) => {
        event.preventDefault();
        onSearch(text.trim());
      }}
    >
      <input type="search" name="q" aria-label={t("list.search")} placeholder={t("list.search")} value={text} onInput={(e) => setText(e.currentTarget.value)} data-testid="search" />
      {children}
      <button type="submit">{t("list.searchButton")}</button>
    </form>
  );
}

/** Previous/next with "page x of y (n)". */
export function Pager({ page, pageSize, total, onPage }: { page: number; pageSize: number; total: number; onPage: (page: number) => void }) {
  const { t } = useI18n();
  const pages = Math.max(1, Math.ceil(total / pageSize));
  return (
    <nav class="pager" aria-label={t("list.pages")}>
      <button type="button" disabled={page <= 1} onClick={() => onPage(page - 1)} data-testid="page-previous">
        {t("list.previous")}
      </button>
      <span data-testid="page-info">{t("list.pageOf", { page, pages, total })}</span>
      <button type="button" disabled={page >= pages} onClick={() => onPage(page + 1)} data-testid="page-next">
        {t("list.next")}
      </button>
    </nav>
  );
}

/** A labelled form control with its error underneath. */
export function FieldRow({ label, error, children, name, group = false }: { label: string; error?: string; children: ComponentChildren; name: string; group?: boolean }) {
  return (
    <div class={error ? "field invalid" : "field"} data-field={name}>
      {/* A field of several controls (check boxes, phone rows) is a fieldset: a label may not hold other labels. */}
      {group ? (
        <fieldset class="field-group">
          <legend class="label">{label}</legend>
          {children}
        </fieldset>
      ) : (
        <label>
          <span class="label">{label}</span>
          {children}
        </label>
      )}
      {error && (
        <span class="field-error" role="alert" data-testid={`error-${name}`}>
          {error}
        </span>
      )}
    </div>
  );
}

/** A button that asks for a second click before doing something that cannot be undone. */
export function ConfirmButton({ label, confirmLabel, onConfirm, testId, danger = true }: { label: string; confirmLabel: string; onConfirm: () => void; testId: string; danger?: boolean }) {
  const { t } = useI18n();
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <button type="button" class={danger ? "danger" : ""} onClick={() => setAsking(true)} data-testid={testId}>
        {label}
      </button>
    );
  }
  return (
    <span class="confirm">
      <button
        type="button"
        class="danger"
        onClick={() => {
          setAsking(false);
          onConfirm();
        }}
        data-testid={`${testId}-confirm`}
      >
        {confirmLabel}
      </button>
      <button type="button" onClick={() => setAsking(false)}>
        {t("action.cancel")}
      </button>
    </span>
  );
}
