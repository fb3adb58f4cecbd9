import type express from "express";

/** Names express gives the body parsers' middleware functions, and the CSV import's streaming upload check. */
const PARSER_NAMES = new Set(["jsonParser", "urlencodedParser", "textParser", "rawParser", "csvUploadParser"]);

/** A body parser found in the app: where it is mounted and which one. */
export interface WalkedParser {
  /** "USE /api" for a router-level parser, "POST /api/admin/imports/:kind" for one inside a route. */
  where: string;
  name: string;
}

export interface WalkedApp {
  /** Every route as "METHOD /full/path"; a mounted sub-application (bull-board) as "ALL /mount/*". */
  routes: string[];
  parsers: WalkedParser[];
}

interface Layer {
  name: string;
  rawPath?: string | string[];
  route?: { path: string; methods: Record<string, boolean>; stack: Layer[] };
  handle?: { stack?: Layer[]; router?: { stack: Layer[] }; set?: unknown };
}

const join = (prefix: string, path: string) => (path === "/" || path === "" ? prefix : prefix + path) || "/";

/**
 * Walks express's router stacks recursively (express 5 / router 2 keep each layer's path in `rawPath`), so tests
 * can compare what the app really serves with what they expect: a route added later cannot be forgotten.
 */
export function walkApp(app: express.Express): WalkedApp {
  const found: WalkedApp = { routes: [], parsers: [] };
  const walk = (stack: Layer[], prefix: string, parsersOnly = false) => {
    for (const layer of stack) {
      const paths = layer.rawPath === undefined ? ["/"] : Array.isArray(layer.rawPath) ? layer.rawPath : [layer.rawPath];
      for (const path of paths) {
        const full = join(prefix, path);
        if (layer.route) {
          const methods = Object.keys(layer.route.methods).map((method) => method.toUpperCase());
          if (!parsersOnly) for (const method of methods) found.routes.push(`${method} ${full}`);
          for (const inner of layer.route.stack) if (PARSER_NAMES.has(inner.name)) found.parsers.push({ where: `${methods.join(",")} ${full}`, name: inner.name });
        } else if (PARSER_NAMES.has(layer.name)) {
          found.parsers.push({ where: `USE ${full}`, name: layer.name });
        } else if (layer.handle && typeof layer.handle.set === "function" && layer.handle.router) {
          // A whole sub-application (bull-board): one entry for its mount; its own parsers are still listed, at the mount.
          if (!parsersOnly) found.routes.push(`ALL ${full}/*`);
          const parsersBefore = found.parsers.length;
          walk(layer.handle.router.stack, full, true);
          for (const parser of found.parsers.slice(parsersBefore)) parser.where = `USE ${full}`;
        } else if (Array.isArray(layer.handle?.stack)) {
          walk(layer.handle.stack, full === "/" ? prefix : full, parsersOnly);
        }
      }
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack, "");
  return found;
}
