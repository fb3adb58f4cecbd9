import type { ApiErrorBody } from "../../../shared-types/console-payloads.js";

/** An error answer of the API (or the network), with the stable id the UI translates. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly id: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = "ApiError";
  }
}

/** Fired on window when the API answers 401: the session expired or was closed. */
export const UNAUTHORIZED_EVENT = "sd:unauthorized";

/**
 * Calls the app's JSON API with the session cookie. Resolves with the parsed body (null for 204);
 * rejects with ApiError carrying the server's error id and message.
 */
export async function apiFetch<T = unknown>(path: string, options: { method?: string; body?: unknown; signal?: AbortSignal } = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method: options.method ?? "GET",
      credentials: "same-origin",
      headers: { accept: "application/json", ...(options.body === undefined ? {} : { "content-type": "application/json" }) },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (error) {
    if ((error as Error).name === "AbortError") throw error;
    throw new ApiError(0, "network", "The server cannot be reached.");
  }
  return (await readApiAnswer(response, path)) as T;
}

/**
 * The parsed body of an API answer (null for 204 or no JSON), or the ApiError it carries. A 401 outside
 * /api/auth/ also fires UNAUTHORIZED_EVENT (the session expired or was closed).
 */
export async function readApiAnswer(response: Response, path: string): Promise<unknown> {
  if (response.status === 204) return null;
  const text = await response.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  if (!response.ok) {
    const error = (body as ApiErrorBody | null)?.error;
    if (response.status === 401 && !path.startsWith("/api/auth/")) window.dispatchEvent(new Event(UNAUTHORIZED_EVENT));
    const { id, message, ...details } = error ?? { id: `http_${response.status}`, message: `HTTP ${response.status}` };
    throw new ApiError(response.status, id, message, details);
  }
  return body;
}
