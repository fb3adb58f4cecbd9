import { Router } from "express";
import type { AppContext } from "../context.js";

/** @bull-board for administrators. Filled by the jobs issue. */
export function jobsBoardRouter(_context: AppContext): Router {
  return Router();
}
