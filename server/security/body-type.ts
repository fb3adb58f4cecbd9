import type { RequestHandler } from "express";
import { HttpError } from "../errors/http-error.js";

/**
 * 415 unsupported_media_type when a request has a body whose Content-Type is none of `types` (express's req.is:
 * null without a body, false for another or a missing type; an empty body, Content-Length: 0 as fetch sends for a
 * POST without one, is no body). Without it a body of another type is skipped by the
 * parser and the route sees no input, and a cross-site "simple request" (text/plain, no preflight) reaches it.
 */
export function requireBodyType(...types: string[]): RequestHandler {
  return (req, _res, next) => {
    if (req.headers["content-length"] === "0" && req.headers["transfer-encoding"] === undefined) return next();
    if (req.is(types) !== false) return next();
    const sent = req.headers["content-type"];
    throw new HttpError(
      415,
      "unsupported_media_type",
      `This request's body must be sent as ${types.join(" or ")} (Content-Type header); ${sent ? `it was ${sent}` : "it had no Content-Type"}.`,
      { field: "content-type", expected: types },
    );
  };
}
