import { Router } from "express";
import type { AppContext } from "../../context.js";

/** Administration API: customers, campuses, reference persons, products, contracts, SLA policies, agents. Filled by the admin issue. */
export function adminRouter(_context: AppContext): Router {
  return Router();
}
