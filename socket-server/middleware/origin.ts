import type { IncomingMessage, ServerResponse } from "node:http";
import { AppError } from "../../lib/errors";
import type { ParleyServer, ParleySocket } from "../types";
import { handshakeError } from "./handshake-error";

// Which pages may open a socket, by their Origin. Socket.IO's `cors` option only sets response
// headers; a page on another site could still open a WebSocket without this. Allowed:
//   - an origin on ALLOWED_ORIGINS (the web app's own pages);
//   - no Origin at all: a client that is not a browser, which cannot carry anyone's cookies and is
//     judged by its token alone;
//   - the socket server's own origin (scheme aside, the Host it was reached at): what WebSocket
//     libraries outside browsers send by default (Python's websocket-client among them). The
//     socket server serves no pages, so no browser page has that origin.

/** What a connection's opening request said: kept, when the request itself is not (see below). */
type Opener = { origin: string | undefined; host: string | undefined };

function isAllowedOrigin(allowlist: ReadonlySet<string>, { origin, host }: Opener): boolean {
  if (origin === undefined || allowlist.has(origin)) return true;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

type RawConnection = { request: IncomingMessage | null };

/**
 * Guards the handshake and every request of an open Engine.IO session by their Origin, and
 * returns the handshake's middleware (to run first). Each connection's opening request is dropped
 * once its Origin and Host are noted: kept for life, it would hold memory nothing else reads (which
 * also leaves `socket.handshake.headers` empty, so the middleware reads the noted ones).
 */
export function guardOrigins(io: ParleyServer, allowed: readonly string[]) {
  const allowlist = new Set(allowed);
  const openers = new WeakMap<object, Opener>();
  io.engine.on("connection", (raw: RawConnection) => {
    openers.set(raw, { origin: raw.request?.headers.origin, host: raw.request?.headers.host });
    raw.request = null;
  });
  const clients = (io.engine as unknown as { clients: Record<string, object> }).clients;

  // Every request naming a session id (a poll, a POST, a WebSocket upgrade) comes from the origin
  // that opened the session, or from an allowed one: a page on another origin cannot ride a
  // session someone else opened, while a client refused below still hears why (its CONNECT
  // travels in such a request). The handshake itself (no sid yet) is left to the middleware.
  io.engine.use((req: IncomingMessage, _res: ServerResponse, next: (err?: Error) => void) => {
    const sid = new URL(req.url ?? "/", "http://socket").searchParams.get("sid");
    if (sid === null || isAllowedOrigin(allowlist, { origin: req.headers.origin, host: req.headers.host })) return next();
    const client = Object.hasOwn(clients, sid) ? clients[sid] : undefined;
    const opener = client && openers.get(client);
    next(opener && opener.origin === req.headers.origin ? undefined : new Error("origin not allowed"));
  });

  // A refusal is a connect_error with FORBIDDEN_ORIGIN in its data, like every other refusal,
  // instead of Engine.IO's bare 403.
  return (socket: ParleySocket, next: (err?: Error) => void) => {
    const opener = openers.get(socket.conn) ?? { origin: undefined, host: undefined };
    if (isAllowedOrigin(allowlist, opener)) return next();
    next(handshakeError(new AppError("FORBIDDEN_ORIGIN", "This origin may not connect: the server's ALLOWED_ORIGINS does not list it")));
  };
}
