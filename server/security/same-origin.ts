import type { Request, RequestHandler } from "express";
import type { AppContext } from "../context.js";
import { HttpError } from "../errors/http-error.js";
import { deskOrigin } from "./desk-origin.js";

/** Methods that only read: a cross-site page may cause them (links, images) but they change nothing. */
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** The origin a request says it comes from: `Origin`, else the origin of `Referer`; undefined when it names neither. */
function claimedOrigin(req: Request): string | undefined {
  const origin = req.headers.origin;
  if (origin !== undefined) return origin;
  const referer = req.headers.referer;
  if (!referer) return undefined;
  try {
    return new URL(referer).origin;
  } catch {
    return "invalid";
  }
}

/**
 * Refuses (403 foreign_origin) a state-changing request that does not come from the desk's own pages: its `Origin`
 * (or, without one, its `Referer`) must be PUBLIC_BASE_URL's origin. The session cookie is SameSite=Lax, which a page
 * on another port of the same host (same site, other origin) still gets sent with a no-cors fetch or a form post, so
 * the cookie alone proves nothing (cross-site request forgery). Browsers send `Origin` on every POST/PUT/PATCH/DELETE;
 * a request with neither header is refused too, so scripts and other non-browser clients send the desk's Origin.
 * Twilio's webhooks are not under these paths: their signature proves where they come from.
 */
export function sameOriginWrites(context: AppContext): RequestHandler {
  return (req, _res, next) => {
    if (SAFE_METHODS.has(req.method)) return next();
    const claimed = claimedOrigin(req);
    const expected = deskOrigin(context.baseUrl);
    if (claimed === expected) return next();
    throw new HttpError(
      403,
      "foreign_origin",
      `A ${req.method} request must come from the desk's own pages: send the header Origin: ${expected}` + (claimed === undefined ? " (the request had neither Origin nor Referer)." : ` (it came from ${claimed}).`),
      { field: "origin" },
    );
  };
}
