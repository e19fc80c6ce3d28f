import { listConversationIds } from "../../lib/chat";
import { toAppError } from "../../lib/errors";
import type { ParleySocket } from "../types";

const loaded = new WeakMap<ParleySocket, string[]>();

/**
 * Looks the user's conversations up before the connection is accepted, so the connection
 * handler joins their rooms in the same tick as the client learns it is connected. Joined after
 * the connect instead, a broadcast in between was missed by a client that had already synced,
 * and with no later message to reveal the gap it stayed missing.
 */
export async function loadMemberships(socket: ParleySocket, next: (err?: Error) => void): Promise<void> {
  try {
    loaded.set(socket, await listConversationIds({ userId: socket.data.userId }));
    next();
  } catch (error) {
    const appError = toAppError(error, `socket memberships user=${socket.data.userId}`);
    next(new Error(`${appError.code}: ${appError.message}`));
  }
}

/** The conversation ids the middleware loaded for this socket (once). */
export function takeMemberships(socket: ParleySocket): string[] {
  const ids = loaded.get(socket) ?? [];
  loaded.delete(socket);
  return ids;
}
