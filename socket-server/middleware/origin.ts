import type { IncomingMessage } from "node:http";

/**
 * Exact Origin allowlist, checked for every transport request (polling and the WebSocket
 * upgrade). Socket.IO's `cors` option only sets response headers; a cross-site page could
 * still open a WebSocket without this. Requests without an Origin header come from
 * non-browser clients, which cannot carry a victim's cookies; they still need a token.
 */
export function createOriginCheck(allowed: readonly string[]) {
  const allowlist = new Set(allowed);
  return (req: IncomingMessage, callback: (err: string | null | undefined, success: boolean) => void) => {
    const origin = req.headers.origin;
    callback(null, origin === undefined || allowlist.has(origin));
  };
}
