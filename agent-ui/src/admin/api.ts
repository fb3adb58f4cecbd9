import { ApiError, apiFetch, readApiAnswer } from "../lib/api.js";

/** One page of an admin list. */
export interface Page<T> {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
}

/** Builds /api/admin/<path>?<query>, leaving out empty query values. */
export function adminUrl(path: string, query: Record<string, string | number | boolean | undefined | null> = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== null && value !== "") params.set(key, String(value));
  const search = params.toString();
  return `/api/admin${path}${search ? `?${search}` : ""}`;
}

/** GET from the admin API. */
export function adminGet<T>(path: string, query: Record<string, string | number | boolean | undefined | null> = {}, signal?: AbortSignal): Promise<T> {
  return apiFetch<T>(adminUrl(path, query), { signal });
}

/** POST/PATCH/PUT/DELETE to the admin API with a JSON body. */
export function adminSend<T>(method: string, path: string, body?: unknown): Promise<T> {
  return apiFetch<T>(adminUrl(path), { method, body });
}

/** Sends a CSV file as it is (the server decodes it and reports files that are not UTF-8). */
export async function uploadCsv<T>(path: string, file: Blob, query: Record<string, string | boolean> = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(adminUrl(path, query), { method: "POST", credentials: "same-origin", headers: { "content-type": "text/csv", accept: "application/json" }, body: file });
  } catch {
    throw new ApiError(0, "network", "The server cannot be reached.");
  }
  return (await readApiAnswer(response, adminUrl(path))) as T;
}

/** Fetches a file from the admin API and offers it as a download. */
export async function download(path: string, filename: string): Promise<void> {
  const response = await fetch(adminUrl(path), { credentials: "same-origin" });
  if (!response.ok) await readApiAnswer(response, adminUrl(path));
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export { ApiError };
