import { createBullBoard } from "@bull-board/api";
import { BullMQAdapter } from "@bull-board/api/bullMQAdapter";
import { ExpressAdapter } from "@bull-board/express";
import { Router, type RequestHandler } from "express";
import { requireLogin, requireRole } from "../auth/middleware.js";
import type { AppContext } from "../context.js";
import { jobQueues } from "./queues.js";

/** Where app.ts mounts the board. */
export const BOARD_PATH = "/admin/queues";

/**
 * The app-wide CSP allows scripts and styles from 'self' only; bull-board also asks for Google Fonts.
 * This header replaces it for the board's pages alone (its scripts are files, so 'self' still covers them).
 */
const boardCsp: RequestHandler = (_req, res, next) => {
  res.setHeader(
    "Content-Security-Policy",
    [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self' 'unsafe-inline' https://fonts.googleapis.com",
      "font-src 'self' data: https://fonts.gstatic.com",
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
  const router = Router();
  router.use(requireLogin(context), requireRole("admin"), boardCsp, serverAdapter.getRouter());
  return router;
}
