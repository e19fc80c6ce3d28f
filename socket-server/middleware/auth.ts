import { verifyRealtimeToken } from "../../lib/auth/realtime-token";
import { toAppError } from "../../lib/errors";
import type { ParleySocket } from "../types";
import type { SetupReads } from "./setup-reads";

const readReceiptsAtHandshake = new WeakMap<ParleySocket, boolean>();
const expiryAtHandshake = new WeakMap<ParleySocket, number>();
const expiryTimers = new WeakMap<ParleySocket, ReturnType<typeof setTimeout>>();

/** The user's read-receipts setting as the handshake read it (with the session epoch, in one read), for the membership step. */
export function takeReadReceipts(socket: ParleySocket): boolean | undefined {
  const value = readReceiptsAtHandshake.get(socket);
  readReceiptsAtHandshake.delete(socket);
  return value;
}

/** Handshake authentication: a valid realtime token or no connection. Runs again on recovery. */
export async function authenticateSocket(socket: ParleySocket, next: (err?: Error) => void, reads: SetupReads): Promise<void> {
  const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
  if (typeof token !== "string" || token.length === 0 || token.length > 4096) {
    next(new Error("UNAUTHORIZED: missing token"));
    return;
  }
  let verified: ReturnType<typeof verifyRealtimeToken>;
  try {
    verified = verifyRealtimeToken(token);
  } catch {
    next(new Error("UNAUTHORIZED: invalid or expired token"));
    return;
  }
  const { userId, name, sessionEpoch, expiresAt } = verified;
  // A recovered socket arrives with its session's data and rooms already restored: only the
  // same user may take them over.
  if (socket.recovered && socket.data.userId !== userId) {
    next(new Error("UNAUTHORIZED: the session belongs to another user"));
    return;
  }
  try {
    // The signature only proves the web app issued the token; the account may be gone since,
    // or have signed out (which raises its session epoch past the token's).
    const state = await reads.connectionState(userId);
    if (state?.sessionEpoch !== sessionEpoch) {
      next(new Error("UNAUTHORIZED: invalid or expired token"));
      return;
    }
    readReceiptsAtHandshake.set(socket, state.readReceipts);
  } catch (error) {
    const appError = toAppError(error, `socket auth user=${userId}`);
    next(new Error(`${appError.code}: ${appError.message}`));
    return;
  }
  socket.data.userId = userId;
  socket.data.name = name;
  expiryAtHandshake.set(socket, expiresAt);
  // Verified and no longer needed: a bearer credential is not kept in memory for the life of the connection.
  socket.handshake.auth = Object.fromEntries(Object.entries(socket.handshake.auth as Record<string, unknown>).filter(([key]) => key !== "token"));
  next();
}

/**
 * A socket lives no longer than its token: at expiry it is closed, and the client reconnects with
 * a fresh one (or cannot). Call from the connection handler, once every middleware has passed, and
 * `clearExpiry` when the socket disconnects.
 */
export function closeAtExpiry(socket: ParleySocket): void {
  const expiresAt = expiryAtHandshake.get(socket);
  expiryAtHandshake.delete(socket);
  if (expiresAt === undefined) return;
  const timer = setTimeout(closeExpired, Math.max(0, expiresAt - Date.now()), socket);
  timer.unref();
  expiryTimers.set(socket, timer);
}

export function clearExpiry(socket: ParleySocket): void {
  clearTimeout(expiryTimers.get(socket));
  expiryTimers.delete(socket);
}

function closeExpired(socket: ParleySocket): void {
  socket.disconnect(true);
}
