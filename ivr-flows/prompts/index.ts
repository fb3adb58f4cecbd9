import type { Language } from "../../entities/enums.js";
import type { Catalog, PromptKey } from "./catalog.js";
import { de } from "./de.js";
import { en } from "./en.js";
import { fr } from "./fr.js";
import { nl } from "./nl.js";

export type { Catalog, PromptKey };

/** Every spoken sentence of the IVR, one catalog per language (R8); no spoken text lives in code. */
export const catalogs: Record<Language, Catalog> = { nl, fr, en, de };

/** The prompt `key` in `language` with its `{placeholders}` filled; an unfilled placeholder is an error. */
export function prompt(language: Language, key: PromptKey, params: Record<string, string | number> = {}): string {
  const template = catalogs[language][key];
  if (typeof template !== "string") throw new Error(`prompt ${key} missing in ${language}`);
  return template.replace(/\{(\w+)\}/g, (_whole, name: string) => {
    if (!(name in params)) throw new Error(`prompt ${language}.${key} needs {${name}}`);
    return String(params[name]);
  });
}

/** The `{placeholder}` names a template uses, sorted (the catalog test compares them across languages). */
export function placeholders(template: string): string[] {
  return [...new Set([...template.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!))].sort();
}
