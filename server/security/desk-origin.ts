import type { IncomingMessage } from "node:http";

/** The desk's own origin (scheme, host, port) from its public base URL, as a browser sends it in `Origin`. */
export function deskOrigin(baseUrl: string): string {
  return new URL(baseUrl).origin;
}

/** The ws:// or wss:// origin a browser on the desk's own page opens its socket to, for the CSP's connect-src. */
export function deskSocketOrigin(baseUrl: string): string {
  const url = new URL(baseUrl);
  return `${url.protocol === "https:" ? "wss:" : "ws:"}//${url.host}`;
}

/**
 * Whether a Socket.IO handshake may proceed: browsers always send `Origin` on WebSocket and cross-origin
 * requests, so a foreign one is another site's page using the agent's cookie (cross-site WebSocket hijacking);
 * a handshake without it comes from a non-browser client, which holds no victim's cookie.
 */
export function handshakeOriginAllowed(request: Pick<IncomingMessage, "headers">, baseUrl: string): boolean {
  const origin = request.headers.origin;
  return origin === undefined || origin === deskOrigin(baseUrl);
}
