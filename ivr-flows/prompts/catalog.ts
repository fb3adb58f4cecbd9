import type { en } from "./en.js";

/** A prompt's name; the English catalog is the reference list of names. */
export type PromptKey = keyof typeof en;

/** One language's prompts: every key, a template with `{placeholder}`s. */
export type Catalog = Record<PromptKey, string>;
