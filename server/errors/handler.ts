import type { ErrorRequestHandler } from "express";
import type { Logger } from "../logger.js";
import { HttpError } from "./http-error.js";

/** Turns errors into JSON answers: HttpError as is, body-parser errors as 400/413, anything else as 500. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    if (error instanceof HttpError) {
      res.status(error.status).json({ error: { id: error.id, message: error.message, ...error.details } });
      return;
    }
    const status = typeof error?.status === "number" && error.status >= 400 && error.status < 500 ? error.status : 500;
    if (status === 500) logger.error({ err: error, path: req.path }, "unhandled error");
    const message = status === 413 ? "Request body too large." : status === 500 ? "Internal error." : String(error?.message ?? "Bad request.");
    res.status(status).json({ error: { id: status === 413 ? "too_large" : status === 500 ? "internal" : "bad_request", message } });
  };
}
