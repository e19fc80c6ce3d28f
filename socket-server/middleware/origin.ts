import type { IncomingMessage, ServerResponse } from "node:http";

/**
 * Exact Origin allowlist for the handshake (polling and WebSocket alike). Socket.IO's `cors`
 * option only sets response headers; a cross-site page could still open a WebSocket without
 * this. Requests without an Origin header come from non-browser clients, which cannot carry a
 * victim's cookies; they still need a token.
 */
export function createOriginCheck(allowed: readonly string[]) {
  const allowlist = new Set(allowed);
  return (req: IncomingMessage, callback: (err: string | null | undefined, success: boolean) => void) => {
    callback(null, isAllowedOrigin(allowlist, req));
  };
}

/**
 * The same check for the requests after the handshake. Engine.IO calls `allowRequest` only for
 * a request without a session id, so a later poll, POST or WebSocket upgrade naming an existing
 * session was not checked: a page on another origin could ride a session someone opened.
 */
export function createSessionOriginCheck(allowed: readonly string[]) {
  const allowlist = new Set(allowed);
  return (req: IncomingMessage, _res: ServerResponse, next: (err?: Error) => void) => {
    // The handshake (no sid yet) is left to allowRequest, which answers it with a 403.
    const hasSession = new URL(req.url ?? "/", "http://socket").searchParams.has("sid");
    next(!hasSession || isAllowedOrigin(allowlist, req) ? undefined : new Error("origin not allowed"));
  };
}

function isAllowedOrigin(allowlist: ReadonlySet<string>, req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  return origin === undefined || allowlist.has(origin);
}
