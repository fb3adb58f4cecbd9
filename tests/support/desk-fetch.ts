/**
 * fetch as the desk's own pages send it: a state-changing request carries `Origin` (server/security/same-origin.ts
 * refuses one without). The origin is the URL's own unless `origin` names the desk's (a server on PUBLIC_BASE_URL).
 */
export function deskFetch(url: string, init: RequestInit = {}, origin = new URL(url).origin): Promise<Response> {
  const headers = new Headers(init.headers);
  if (!headers.has("origin")) headers.set("origin", origin);
  return fetch(url, { ...init, headers });
}
