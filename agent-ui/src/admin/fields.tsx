import { useEffect, useState } from "preact/hooks";
import { useI18n } from "../lib/i18n.js";
import { FieldRow } from "./components.js";

/** A choice in a select or a list of check boxes. */
export interface Option {
  value: string;
  label: string;
}

/** Values of a form: strings for inputs, booleans, arrays and small objects for composite fields. */
export type FormValues = Record<string, any>;

/** One field of an admin form; the kind decides the control and how its value goes into the request body. */
export interface FieldSpec {
  name: string;
  /** Catalog key of the label. */
  label: string;
  kind: "text" | "email" | "password" | "date" | "select" | "checkbox" | "checks" | "phones" | "targets" | "spoken";
  /** Fixed choices, or a loader given the form's values (e.g. campuses of the chosen customer). */
  options?: Option[] | ((values: FormValues) => Promise<Option[]>);
  /** Reload the options when this field changes. */
  dependsOn?: string;
  /** Choices are numeric ids. */
  numeric?: boolean;
  /** An empty value is sent as null (clears it). */
  nullable?: boolean;
  /** An empty value is left out of the body. */
  omitEmpty?: boolean;
  required?: boolean;
  /** Only on the create form (customer of a campus, initial password …). */
  createOnly?: boolean;
  maxLength?: number;
}

const PRIORITIES = ["critical", "high", "normal", "low"] as const;
const SPOKEN = ["nl", "fr", "en", "de"] as const;

/** Turns form values into the JSON body of a create (POST) or change (PATCH). */
export function formBody(fields: FieldSpec[], values: FormValues, mode: "create" | "edit"): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const field of fields) {
    if (mode === "edit" && field.createOnly) continue;
    const value = values[field.name];
    switch (field.kind) {
      case "checkbox":
        body[field.name] = Boolean(value);
        break;
      case "checks":
        body[field.name] = ((value as string[]) ?? []).map((v) => (field.numeric ? Number(v) : v));
        break;
      case "phones":
        body[field.name] = ((value as { number: string; label: string }[]) ?? [])
          .filter((p) => p.number.trim() !== "")
          .map((p) => ({ number: p.number, label: p.label.trim() === "" ? null : p.label }));
        break;
      case "targets":
        body[field.name] = Object.fromEntries(
          PRIORITIES.map((p) => [p, { firstResponseMinutes: Number(value?.[p]?.firstResponseMinutes), resolutionMinutes: Number(value?.[p]?.resolutionMinutes) }]),
        );
        break;
      case "spoken": {
        const entries = SPOKEN.map((l) => [l, String(value?.[l] ?? "").trim()] as const).filter(([, name]) => name !== "");
        body[field.name] = entries.length ? Object.fromEntries(entries) : null;
        break;
      }
      default: {
        const text = String(value ?? "");
        if (text.trim() === "") {
          if (field.omitEmpty) continue;
          body[field.name] = field.nullable ? null : field.numeric ? undefined : text;
        } else body[field.name] = field.numeric ? Number(text) : text;
      }
    }
  }
  return body;
}

/** The error of a field, including nested paths (phoneNumbers.1.number, targets.high.resolutionMinutes). */
function errorFor(errors: Record<string, string>, name: string): string | undefined {
  const own = Object.entries(errors).filter(([field]) => field === name || field.startsWith(`${name}.`));
  return own.length ? own.map(([field, message]) => (field === name ? message : `${field.slice(name.length + 1)}: ${message}`)).join("; ") : undefined;
}

/** Renders one field of a form. */
export function FieldInput({ field, values, errors, onChange }: { field: FieldSpec; values: FormValues; errors: Record<string, string>; onChange: (name: string, value: unknown) => void }) {
  const { t } = useI18n();
  const [options, setOptions] = useState<Option[]>(Array.isArray(field.options) ? field.options : []);
  const dependency = field.dependsOn ? values[field.dependsOn] : undefined;
  useEffect(() => {
    if (typeof field.options !== "function") return;
    let live = true;
    field.options(values).then((loaded) => live && setOptions(loaded), () => live && setOptions([]));
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [dependency]);
  const value = values[field.name];
  const label = `${t(field.label)}${field.required ? " *" : ""}`;
  const error = errorFor(errors, field.name);
  const input = (type: "text" | "email" | "password" | "date") => (
    <input type={type as "text"} name={field.name} value={value ?? ""} maxLength={field.maxLength} onInput={(e) => onChange(field.name, e.currentTarget.value)} data-testid={`field-${field.name}`} />
  );

  switch (field.kind) {
    case "text":
    case "email":
    case "password":
    case "date":
      return (
        <FieldRow name={field.name} label={label} error={error}>
          {input(field.kind)}
        </FieldRow>
      );
    case "select":
      return (
        <FieldRow name={field.name} label={label} error={error}>
          <select name={field.name} value={value ?? ""} onChange={(e) => onChange(field.name, e.currentTarget.value)} data-testid={`field-${field.name}`}>
            <option value="">{t("form.choose")}</option>
            {options.map((option) => (
              <option value={option.value}>{option.label}</option>
            ))}
          </select>
        </FieldRow>
      );
    case "checkbox":
      return (
        <FieldRow name={field.name} label={label} error={error}>
          <input type="checkbox" name={field.name} checked={Boolean(value)} onChange={(e) => onChange(field.name, e.currentTarget.checked)} data-testid={`field-${field.name}`} />
        </FieldRow>
      );
    case "checks": {
      const chosen = new Set<string>((value as string[]) ?? []);
      return (
        <FieldRow name={field.name} label={label} error={error} group>
          <span class="checks" data-testid={`field-${field.name}`}>
            {options.map((option) => (
              <label class="check">
                <input
                  type="checkbox"
                  value={option.value}
                  checked={chosen.has(option.value)}
                  onChange={(e) => {
                    const next = new Set(chosen);
                    if (e.currentTarget.checked) next.add(option.value);
                    else next.delete(option.value);
                    onChange(field.name, [...next]);
                  }}
                />
                {option.label}
              </label>
            ))}
          </span>
        </FieldRow>
      );
    }
    case "phones": {
      const rows = (value as { number: string; label: string }[]) ?? [];
      const set = (index: number, key: "number" | "label", text: string) => onChange(field.name, rows.map((row, i) => (i === index ? { ...row, [key]: text } : row)));
      return (
        <FieldRow name={field.name} label={label} error={error} group>
          <span class="phones" data-testid={`field-${field.name}`}>
            {rows.map((row, index) => (
              <span class="phone-row">
                <input type="tel" aria-label={t("person.number")} placeholder="0470 12 34 56" value={row.number} onInput={(e) => set(index, "number", e.currentTarget.value)} data-testid={`phone-${index}`} />
                <input type="text" aria-label={t("person.numberLabel")} placeholder={t("person.numberLabel")} value={row.label} maxLength={40} onInput={(e) => set(index, "label", e.currentTarget.value)} />
                <button type="button" onClick={() => onChange(field.name, rows.filter((_, i) => i !== index))}>
                  {t("action.remove")}
                </button>
              </span>
            ))}
            <button type="button" onClick={() => onChange(field.name, [...rows, { number: "", label: "" }])} data-testid="phone-add">
              {t("person.addNumber")}
            </button>
          </span>
        </FieldRow>
      );
    }
    case "targets": {
      const targets = (value as Record<string, { firstResponseMinutes: string; resolutionMinutes: string }>) ?? {};
      const set = (priority: string, key: string, text: string) => onChange(field.name, { ...targets, [priority]: { ...targets[priority], [key]: text } });
      return (
        <FieldRow name={field.name} label={label} error={error} group>
          <table class="targets">
            <thead>
              <tr>
                <th />
                <th>{t("sla.firstResponse")}</th>
                <th>{t("sla.resolution")}</th>
              </tr>
            </thead>
            <tbody>
              {PRIORITIES.map((priority) => (
                <tr>
                  <th>{t(`priority.${priority}`)}</th>
                  {(["firstResponseMinutes", "resolutionMinutes"] as const).map((key) => (
                    <td>
                      <input type="number" min={1} aria-label={`${t(`priority.${priority}`)}: ${t(key === "firstResponseMinutes" ? "sla.firstResponse" : "sla.resolution")}`} value={targets[priority]?.[key] ?? ""} onInput={(e) => set(priority, key, e.currentTarget.value)} data-testid={`target-${priority}-${key}`} />
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </FieldRow>
      );
    }
    case "spoken": {
      const names = (value as Record<string, string>) ?? {};
      return (
        <FieldRow name={field.name} label={label} error={error} group>
          <span class="spoken">
            {SPOKEN.map((language) => (
              <label class="inline">
                {language}
                <input type="text" maxLength={200} value={names[language] ?? ""} onInput={(e) => onChange(field.name, { ...names, [language]: e.currentTarget.value })} />
              </label>
            ))}
          </span>
        </FieldRow>
      );
    }
  }
}
