import type { Request } from "express";
import { z } from "zod";
import { validate } from "../../errors/validation.js";

const id = z.coerce.number().int().positive().max(2_147_483_647);

/** A positive integer route parameter (`:id`), or a 400 naming it. */
export function idParam(req: Request, name = "id"): number {
  return validate(z.object({ [name]: id }), { [name]: req.params[name] })[name] as number;
}

/** Every desk account: agent routes are open to all roles (supervisors and admins also take calls). */
export const AGENT_ROLES_ALL = ["agent", "supervisor", "admin"] as const;
/** Supervisor routes: the live view, on-site decisions, other agents' status. */
export const SUPERVISOR_ROLES = ["supervisor", "admin"] as const;
