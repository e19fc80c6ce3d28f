import { verifyRealtimeToken } from "../../lib/auth/realtime-token";
import { toAppError } from "../../lib/errors";
import type { ParleySocket } from "../types";
import type { SetupReads } from "./setup-reads";

const readReceiptsAtHandshake = new WeakMap<ParleySocket, boolean>();

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
  let verified: Awaited<ReturnType<typeof verifyRealtimeToken>>;
  try {
    verified = await verifyRealtimeToken(token);
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
  closeAtExpiry(socket, expiresAt);
  next();
}

/** A socket lives no longer than its token: at expiry it is closed, and the client reconnects with a fresh one (or cannot). */
function closeAtExpiry(socket: ParleySocket, expiresAt: number): void {
  const timer = setTimeout(() => socket.disconnect(true), Math.max(0, expiresAt - Date.now()));
  timer.unref();
  socket.once("disconnect", () => clearTimeout(timer));
}
