/** An error with an HTTP status and a stable id the UI can translate; field names what was wrong. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly id: string,
    message: string,
    readonly details?: { field?: string; fields?: { field: string; message: string }[] } & Record<string, unknown>,
  ) {
    super(message);
    this.name = "HttpError";
  }
}

export const badRequest = (id: string, message: string, details?: HttpError["details"]) => new HttpError(400, id, message, details);
export const unauthorized = (message = "Log in first.") => new HttpError(401, "unauthorized", message);
export const forbidden = (message = "Your role does not allow this.") => new HttpError(403, "forbidden", message);
export const notFound = (what: string) => new HttpError(404, "not_found", `${what} not found.`);
export const conflict = (id: string, message: string, details?: HttpError["details"]) => new HttpError(409, id, message, details);
export const tooManyRequests = (message = "Too many attempts; try again later.") => new HttpError(429, "rate_limited", message);
