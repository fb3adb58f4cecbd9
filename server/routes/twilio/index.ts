import { Router } from "express";
import type { AppContext } from "../../context.js";

/** Twilio webhooks (Voice URL, status callback, IVR steps). Filled by the IVR issue. */
export function twilioRouter(_context: AppContext): Router {
  return Router();
}
