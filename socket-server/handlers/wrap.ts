import { toAppError } from "../../lib/errors";
import type { Ack } from "../../lib/realtime/events";
import { enforce, localRateLimitStore, type PolicyName } from "../../lib/security/rate-limit";
import type { ParleySocket } from "../types";

type Handler<T> = (payload: unknown) => Promise<T>;

/**
 * Every client→server event goes through here: the ack is optional (a client may emit
 * without one), the handler never throws into Socket.IO, and errors become the contract's
 * `{ ok: false, error }` shape. Validation happens inside the domain core.
 * `limit` names the rate-limit policy the event spends, per user, before the handler runs:
 * "requests" unless the event names another (this process keeps those counters; the web app's
 * HTTP requests spend them too).
 */
export function withAck<T>(socket: ParleySocket, event: string, handler: Handler<T>, { limit = "requests" }: { limit?: PolicyName } = {}) {
  return async (...args: unknown[]) => {
    // `emit(event, callback)` with no payload puts the callback first: still answer it.
    const [payload, ack] = args.length === 1 && typeof args[0] === "function" ? [undefined, args[0]] : args;
    const reply = typeof ack === "function" ? (ack as (response: Ack<T>) => void) : undefined;
    try {
      await enforce(localRateLimitStore(), limit, socket.data.userId);
      const data = await handler(payload);
      reply?.({ ok: true, data });
    } catch (error) {
      const appError = toAppError(error, `socket ${event} user=${socket.data.userId}`);
      reply?.({ ok: false, error: appError.toBody() });
    }
  };
}
