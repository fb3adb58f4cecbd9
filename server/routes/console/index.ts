import { Router } from "express";
import type { AppContext } from "../../context.js";

/** Agent console and supervisor API: login, tickets, calls, live view. Filled by the agent console issue. */
export function consoleRouter(_context: AppContext): Router {
  return Router();
}
