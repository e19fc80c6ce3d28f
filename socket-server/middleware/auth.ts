import { looksLikeAccessToken } from "../../lib/auth/access-token";
import { verifyRealtimeToken } from "../../lib/auth/realtime-token";
import { authenticateAccessToken } from "../../lib/chat";
import { AppError, toAppError } from "../../lib/errors";
import { TOKEN_SCOPES } from "../../lib/schemas/token";
import type { ParleySocket } from "../types";
import { handshakeError } from "./handshake-error";
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

type Credential = { userId: string; name: string; expiresAt: number | null; readReceipts: boolean; scopes: ParleySocket["data"]["scopes"]; tokenId?: string };

const refused = (message: string) => new AppError("UNAUTHORIZED", message);

/**
 * Handshake authentication, run again on recovery: `auth: { token }` holds a realtime token (the
 * browser's, from /api/realtime/token) or a personal access token (bots and scripts). A refusal
 * reaches the client as `connect_error` with the one error body in its `data`.
 */
export async function authenticateSocket(socket: ParleySocket, next: (err?: Error) => void, reads: SetupReads): Promise<void> {
  const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
  let credential: Credential;
  try {
    if (typeof token !== "string" || token.length === 0 || token.length > 4096) throw refused("Missing token: connect with auth: { token }");
    credential = looksLikeAccessToken(token) ? await accessTokenCredential(token) : await realtimeCredential(token, reads);
  } catch (error) {
    next(handshakeError(toAppError(error, "socket auth")));
    return;
  }
  const { userId, name, expiresAt, readReceipts, scopes, tokenId } = credential;
  // A recovered socket arrives with its session's data and rooms already restored: only the
  // same user may take them over.
  if (socket.recovered && socket.data.userId !== userId) {
    next(handshakeError(refused("The session belongs to another user")));
    return;
  }
  readReceiptsAtHandshake.set(socket, readReceipts);
  socket.data.userId = userId;
  socket.data.name = name;
  socket.data.scopes = scopes;
  if (tokenId === undefined) delete socket.data.tokenId;
  else socket.data.tokenId = tokenId;
  if (expiresAt !== null) expiryAtHandshake.set(socket, expiresAt);
  // Verified and no longer needed: a bearer credential is not kept in memory for the life of the connection.
  socket.handshake.auth = Object.fromEntries(Object.entries(socket.handshake.auth as Record<string, unknown>).filter(([key]) => key !== "token"));
  next();
}

async function realtimeCredential(token: string, reads: SetupReads): Promise<Credential> {
  let verified: ReturnType<typeof verifyRealtimeToken>;
  try {
    verified = verifyRealtimeToken(token);
  } catch {
    throw refused("Invalid or expired token");
  }
  const { userId, name, sessionEpoch, expiresAt } = verified;
  // The signature only proves the web app issued the token; the account may be gone since,
  // or have signed out (which raises its session epoch past the token's).
  const state = await reads.connectionState(userId);
  if (state?.sessionEpoch !== sessionEpoch) throw refused("Invalid or expired token");
  return { userId, name, expiresAt, readReceipts: state.readReceipts, scopes: TOKEN_SCOPES };
}

async function accessTokenCredential(token: string): Promise<Credential> {
  const identity = await authenticateAccessToken(token);
  if (!identity) throw refused("Invalid, expired or revoked token");
  const { userId, name, expiresAt, readReceipts, scopes, tokenId } = identity;
  return { userId, name, expiresAt, readReceipts, scopes, tokenId };
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
  // setTimeout holds at most 2^31-1 ms (~24.8 days); a later expiry is checked again then.
  const timer = setTimeout(closeExpired, Math.min(Math.max(0, expiresAt - Date.now()), 2 ** 31 - 1), socket, expiresAt);
  timer.unref();
  expiryTimers.set(socket, timer);
}

export function clearExpiry(socket: ParleySocket): void {
  clearTimeout(expiryTimers.get(socket));
  expiryTimers.delete(socket);
}

function closeExpired(socket: ParleySocket, expiresAt: number): void {
  if (Date.now() < expiresAt) {
    expiryAtHandshake.set(socket, expiresAt);
    closeAtExpiry(socket);
    return;
  }
  socket.disconnect(true);
}
