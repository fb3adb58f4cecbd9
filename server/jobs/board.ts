import { createBullBoard } from "@bull-board/api";
import { BullMQAdapter } from "@bull-board/api/bullMQAdapter";
import { ExpressAdapter } from "@bull-board/express";
import { Router, type ErrorRequestHandler, type RequestHandler } from "express";
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { requireLogin, requireRole } from "../auth/middleware.js";
import { HttpError } from "../errors/http-error.js";
import type { AppContext } from "../context.js";
import { jobQueues } from "./queues.js";

/** Where app.ts mounts the board. */
export const BOARD_PATH = "/admin/queues";

/**
 * bull-board's page links Google Fonts, which fails on a desk without internet (a console error, a slow load). The
 * board is given a copy of its own page template without that link, through its public setViewsPath; the fonts fall
 * back to the system's sans-serif. The template is taken from the @bull-board/ui that createBullBoard itself
 * resolves, so its asset names always match.
 */
let boardViews: string | undefined;
function offlineBoardViews(): string {
  if (boardViews) return boardViews;
  const api = createRequire(import.meta.url).resolve("@bull-board/api");
  const ui = path.dirname(createRequire(api).resolve("@bull-board/ui/package.json"));
  const template = fs.readFileSync(path.join(ui, "dist", "index.ejs"), "utf8");
  const offline = template.replace(/<link[^>]*fonts\.(googleapis|gstatic)\.com[^>]*>\s*/g, "");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sd-board-views-"));
  fs.writeFileSync(path.join(dir, "index.ejs"), offline);
  boardViews = dir;
  return dir;
}

/** What a browser is told when its account may not see the board, in the account's language. */
const NOT_FOR_YOU: Record<string, { title: string; text: string; back: string }> = {
  nl: { title: "Geen toegang", text: "Het overzicht van de achtergrondtaken is alleen voor beheerders.", back: "Terug naar de console" },
  fr: { title: "Accès refusé", text: "Le tableau des tâches de fond est réservé aux administrateurs.", back: "Retour à la console" },
  en: { title: "No access", text: "The background jobs board is for administrators only.", back: "Back to the console" },
};

/**
 * A browser opening the board without a session is sent to the admin login, and one without the role gets a page
 * saying so; API clients (no text/html in Accept) keep the JSON 401/403.
 */
const browserRefusal: ErrorRequestHandler = (error, req, res, next) => {
  if (!(error instanceof HttpError) || (error.status !== 401 && error.status !== 403) || req.accepts(["json", "html"]) !== "html") return next(error);
  if (error.status === 401) return res.redirect(303, "/admin.html");
  const words = NOT_FOR_YOU[req.agent?.uiLanguage ?? "nl"] ?? NOT_FOR_YOU.nl!;
  res
    .status(403)
    .type("html")
    .send(`<!doctype html><html lang="${req.agent?.uiLanguage ?? "nl"}"><head><meta charset="utf-8"><title>${words.title}</title></head><body><main><h1>${words.title}</h1><p>${words.text}</p><p><a href="/">${words.back}</a></p></main></body></html>`);
};

/**
 * The app-wide CSP allows scripts and styles from 'self' only. This header replaces it for the board's pages alone:
 * its scripts are files, so 'self' still covers them; its inline styles need 'unsafe-inline'; no outside host.
 */
const boardCsp: RequestHandler = (_req, res, next) => {
  res.setHeader(
    "Content-Security-Policy",
    [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self' 'unsafe-inline'",
      "font-src 'self' data:",
      "img-src 'self' data:",
      "connect-src 'self'",
      "frame-ancestors 'self'",
      "base-uri 'self'",
      "object-src 'none'",
    ].join("; "),
  );
  next();
};

/** @bull-board over every queue, for administrators only (401 without a session, 403 for other roles). */
export function jobsBoardRouter(context: AppContext): Router {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(BOARD_PATH);
  createBullBoard({
    queues: jobQueues(context).all().map((queue) => new BullMQAdapter(queue)),
    // @bull-board/express 9.10.1 pins its own copy of @bull-board/api (9.10.1) beside ours (9.10.2):
    // the same adapter shape under two declarations, hence the cast.
    serverAdapter: serverAdapter as unknown as Parameters<typeof createBullBoard>[0]["serverAdapter"],
    options: { uiConfig: { boardTitle: "Servicedesk jobs" } },
  });
  serverAdapter.setViewsPath(offlineBoardViews());
  const router = Router();
  router.use(requireLogin(context), requireRole("admin"), boardCsp, serverAdapter.getRouter());
  router.use(browserRefusal);
  return router;
}
