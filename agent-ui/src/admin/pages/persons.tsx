import { useState } from "preact/hooks";
import { useI18n, type I18n } from "../../lib/i18n.js";
import { adminSend, download } from "../api.js";
import { ConfirmButton, ErrorBanner, Tag } from "../components.js";
import { errorText } from "../i18n/index.js";
import type { ResourceSpec } from "../resource-page.js";
import { campusOptions, customerOptions, translatedOptions } from "./options.js";

export interface PersonRow {
  id: number;
  customerId: number;
  customer: { id: number; code: string; name: string } | null;
  campusId: number | null;
  campus: { id: number; name: string } | null;
  role: "campus" | "general" | "technical";
  firstName: string;
  lastName: string;
  email: string | null;
  language: string;
  active: boolean;
  hasPin: boolean;
  erasedAt: string | null;
  phoneNumbers: { e164: string; label: string | null }[];
}

/** PIN reset, privacy export and erasure of one person. */
function PersonActions({ person, done }: { person: PersonRow; done: (updated?: PersonRow) => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [pin, setPin] = useState("");
  const [shownPin, setShownPin] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const run = async (work: () => Promise<void>) => {
    setError(null);
    setMessage(null);
    try {
      await work();
    } catch (failure) {
      setError(errorText(i18n, failure));
    }
  };
  if (person.erasedAt) return <p class="notice" data-testid="erased-notice">{t("person.erasedNotice")}</p>;
  return (
    <div class="person-actions" data-testid="person-actions">
      <h4>{t("person.pin")}</h4>
      <span class="inline-form">
        <input type="password" inputMode="numeric" autoComplete="off" aria-label={t("person.newPin")} placeholder={t("person.newPin")} value={pin} onInput={(e) => setPin(e.currentTarget.value)} data-testid="pin-input" />
        <button
          type="button"
          onClick={() =>
            run(async () => {
              await adminSend("PUT", `/persons/${person.id}/pin`, { pin });
              setPin("");
              setMessage(t("person.pinSet"));
              done({ ...person, hasPin: true });
            })
          }
          data-testid="pin-set"
        >
          {t("person.setPin")}
        </button>
        <button
          type="button"
          onClick={() =>
            run(async () => {
              const answer = await adminSend<{ pin?: string }>("PUT", `/persons/${person.id}/pin`, {});
              setShownPin(answer.pin ?? null);
              done({ ...person, hasPin: true });
            })
          }
          data-testid="pin-generate"
        >
          {t("person.generatePin")}
        </button>
        {person.hasPin && (
          <button type="button" onClick={() => run(async () => { await adminSend("DELETE", `/persons/${person.id}/pin`); setMessage(t("person.pinRemoved")); done({ ...person, hasPin: false }); })} data-testid="pin-remove">
            {t("person.removePin")}
          </button>
        )}
      </span>
      {shownPin && (
        <p class="notice" data-testid="generated-pin">
          {t("person.generatedPin", { pin: shownPin })}
        </p>
      )}
      <h4>{t("person.privacy")}</h4>
      <span class="inline-form">
        <button type="button" onClick={() => run(() => download(`/persons/${person.id}/export`, `reference-person-${person.id}.json`))} data-testid="export">
          {t("person.export")}
        </button>
        <ConfirmButton
          label={t("person.erase")}
          confirmLabel={t("person.confirmErase")}
          testId="erase"
          onConfirm={() =>
            run(async () => {
              const answer = await adminSend<{ person: PersonRow }>("POST", `/persons/${person.id}/erase`);
              done(answer.person);
            })
          }
        />
      </span>
      {message && (
        <p class="notice" role="status" data-testid="action-notice">
          {message}
        </p>
      )}
      <ErrorBanner message={error} testId="action-error" />
    </div>
  );
}

/** Reference persons with numbers, role, language, PIN and privacy actions. */
export function personSpec({ t }: I18n): ResourceSpec<PersonRow> {
  return {
    path: "/persons",
    title: "nav.persons",
    describe: (row) => `${row.firstName} ${row.lastName}`,
    filters: [
      { name: "customerId", label: "person.customer", options: customerOptions },
      { name: "role", label: "person.role", options: translatedOptions(["campus", "general", "technical"], "role", t) },
    ],
    columns: [
      { label: "person.name", cell: (row) => `${row.firstName} ${row.lastName}` },
      { label: "person.customer", cell: (row) => row.customer?.name ?? "" },
      { label: "person.role", cell: (row) => `${t(`role.${row.role}`)}${row.campus ? ` · ${row.campus.name}` : ""}` },
      { label: "person.numbers", cell: (row) => row.phoneNumbers.map((n) => n.e164).join(", ") },
      {
        label: "person.status",
        cell: (row) => (row.erasedAt ? <Tag kind="muted">{t("person.erasedTag")}</Tag> : row.active ? <Tag kind="ok">{t("person.activeTag")}</Tag> : <Tag kind="muted">{t("person.inactiveTag")}</Tag>),
      },
    ],
    fields: [
      { name: "customerId", label: "person.customer", kind: "select", options: customerOptions, numeric: true, required: true, createOnly: true },
      { name: "role", label: "person.role", kind: "select", options: translatedOptions(["campus", "general", "technical"], "role", t), required: true },
      { name: "campusId", label: "person.campus", kind: "select", options: (values) => campusOptions(values.customerId), dependsOn: "customerId", numeric: true, nullable: true },
      { name: "firstName", label: "person.firstName", kind: "text", required: true, maxLength: 100 },
      { name: "lastName", label: "person.lastName", kind: "text", required: true, maxLength: 100 },
      { name: "email", label: "person.email", kind: "email", nullable: true, maxLength: 200 },
      { name: "language", label: "person.language", kind: "select", options: translatedOptions(["nl", "fr", "en", "de"], "language", t), required: true },
      { name: "phoneNumbers", label: "person.numbers", kind: "phones" },
      { name: "active", label: "person.active", kind: "checkbox" },
      { name: "pin", label: "person.initialPin", kind: "password", omitEmpty: true, createOnly: true, maxLength: 8 },
    ],
    blank: () => ({ customerId: "", role: "", campusId: "", firstName: "", lastName: "", email: "", language: "nl", phoneNumbers: [{ number: "", label: "" }], active: true, pin: "" }),
    fromRow: (row) => ({
      customerId: String(row.customerId),
      role: row.role,
      campusId: row.campusId === null ? "" : String(row.campusId),
      firstName: row.firstName,
      lastName: row.lastName,
      email: row.email ?? "",
      language: row.language,
      phoneNumbers: row.phoneNumbers.map((n) => ({ number: n.e164, label: n.label ?? "" })),
      active: row.active,
    }),
    actions: (row, done) => <PersonActions person={row} done={done} />,
  };
}
