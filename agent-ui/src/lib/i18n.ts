import { createContext } from "preact";
import { useContext } from "preact/hooks";

/** One language's messages: key → text with {placeholders}. */
export type Catalog = Record<string, string>;

export type Params = Record<string, string | number>;

/** Looks a key up and fills its {placeholders}; a missing key shows as the key itself (a test forbids that). */
export function translate(catalog: Catalog, key: string, params?: Params): string {
  const text = catalog[key] ?? key;
  return params ? text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole)) : text;
}

/** BCP 47 locale for dates and numbers of a console language (Belgian variants where they exist). */
export function localeOf(language: string): string {
  return language === "fr" ? "fr-BE" : language === "en" ? "en-GB" : "nl-BE";
}

export interface I18n {
  language: string;
  locale: string;
  t: (key: string, params?: Params) => string;
}

/** Builds the translator of one language from a set of catalogs (each page passes its own). */
export function makeI18n(catalogs: Record<string, Catalog>, language: string, fallback = "en"): I18n {
  const catalog = catalogs[language] ?? catalogs[fallback] ?? {};
  return { language, locale: localeOf(language), t: (key, params) => translate(catalog, key, params) };
}

/** Provides the current translator to components. */
export const I18nContext = createContext<I18n>({ language: "en", locale: "en-GB", t: (key) => key });

/** The current translator (inside an I18nContext provider). */
export function useI18n(): I18n {
  return useContext(I18nContext);
}

/** Where the console keeps the language last chosen on this browser. */
export const CONSOLE_LANGUAGE_KEY = "sd:lang";

/** The language to start with before anyone logged in: the last one chosen here, else the browser's. */
export function initialLanguage(supported: readonly string[], storageKey = CONSOLE_LANGUAGE_KEY): string {
  const stored = typeof localStorage !== "undefined" ? localStorage.getItem(storageKey) : null;
  if (stored && supported.includes(stored)) return stored;
  const browser = (typeof navigator !== "undefined" ? navigator.language : "nl").slice(0, 2);
  return supported.includes(browser) ? browser : supported[0]!;
}
