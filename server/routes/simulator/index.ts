import { Router } from "express";
import type { AppContext } from "../../context.js";

/** The phone simulator's API (simulation mode only). Filled by the IVR issue. */
export function simulatorRouter(_context: AppContext): Router {
  return Router();
}
