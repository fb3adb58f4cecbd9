import type { NextFunction, Request, RequestHandler, Response } from "express";
import type { Agent } from "../../entities/Agent.js";
import type { AgentRole } from "../../entities/enums.js";
import type { AppContext } from "../context.js";
import { forbidden, unauthorized } from "../errors/http-error.js";
import { agentForToken, readCookie, SESSION_COOKIE } from "./sessions.js";

declare module "express-serve-static-core" {
  interface Request {
    /** The logged-in desk account, set by requireLogin. */
    agent?: Agent;
  }
}

/** 401 unless the request carries a valid session cookie; sets req.agent. */
export function requireLogin(context: AppContext): RequestHandler {
  return async (req: Request, _res: Response, next: NextFunction) => {
    const agent = await agentForToken(context.dataSource, readCookie(req.headers.cookie, SESSION_COOKIE));
    if (!agent) throw unauthorized("Your session has expired or you are not logged in.");
    req.agent = agent;
    next();
  };
}

/** 403 unless the logged-in account has one of the roles (use after requireLogin). */
export function requireRole(...roles: AgentRole[]): RequestHandler {
  return (req, _res, next) => {
    if (!req.agent) throw unauthorized();
    if (!roles.includes(req.agent.role)) throw forbidden(`This needs the role ${roles.join(" or ")}.`);
    next();
  };
}

/** The logged-in agent of a request that passed requireLogin. */
export function currentAgent(req: Request): Agent {
  if (!req.agent) throw unauthorized();
  return req.agent;
}
