import { requireScope } from "../../lib/auth/access-token";
import { AppError, toAppError } from "../../lib/errors";
import type { TokenScope } from "../../lib/schemas/token";
import type { Ack } from "../../lib/realtime/events";
import { enforce, localRateLimitStore, type PolicyName } from "../../lib/security/rate-limit";
import type { ParleySocket } from "../types";

/**
 * One client→server event: what it does for the socket that sent it, and the rate-limit policy it
 * spends per user before that ("requests" unless it names another; this process keeps those
 * counters, and the web app's HTTP requests spend them too), after checking the socket's token has
 * the scope it needs. Validation happens in the domain core.
 */
export type Route = {
  handle: (socket: ParleySocket, payload: unknown) => Promise<unknown>;
  limit?: PolicyName;
  /** The token scope it needs: "write" unless it only reads (a browser's socket has both). */
  scope?: TokenScope;
};

/**
 * Every client→server event goes through one listener, shared by all connections: `socket.onAny`
 * calls it with the socket as `this`. (Registered per socket, a dozen listeners and their closures
 * would be kept by every connection, which adds up over thousands of idle ones.) The ack is
 * optional (a client may emit without one), a handler never throws into Socket.IO, and errors
 * become the contract's `{ ok: false, error }` shape. An event nobody handles is answered with
 * NOT_FOUND when it asks for an answer, and otherwise ignored.
 */
export function createRouter(...tables: Readonly<Record<string, Route>>[]) {
  // A Map, so that names like "constructor" or "__proto__" are events like any other, never Object.prototype's.
  const routes = new Map<string, Route>();
  for (const [event, route] of tables.flatMap((table) => Object.entries(table))) {
    // Two handlers for one event is a wiring mistake: one of them would never run.
    if (routes.has(event)) throw new Error(`two routes for the event "${event}"`);
    routes.set(event, route);
  }
  return function route(this: ParleySocket, event: string, ...args: unknown[]): void {
    // `emit(event, callback)` with no payload puts the callback first: still answer it.
    const [payload, ack] = args.length === 1 && typeof args[0] === "function" ? [undefined, args[0]] : args;
    const reply = typeof ack === "function" ? (ack as (response: Ack<unknown>) => void) : undefined;
    const found = routes.get(event);
    if (!found) {
      reply?.({ ok: false, error: new AppError("NOT_FOUND", "Unknown event").toBody() });
      return;
    }
    void answer(this, event, found, payload, reply);
  };
}

async function answer(socket: ParleySocket, event: string, { handle, limit = "requests", scope = "write" }: Route, payload: unknown, reply?: (response: Ack<unknown>) => void): Promise<void> {
  try {
    requireScope(socket.data, scope);
    await enforce(localRateLimitStore(), limit, socket.data.userId);
    const data = await handle(socket, payload);
    reply?.({ ok: true, data });
  } catch (error) {
    const appError = toAppError(error, `socket ${event} user=${socket.data.userId}`);
    reply?.({ ok: false, error: appError.toBody() });
  }
}
