import { getSettings } from "../../lib/chat";
import { toAppError } from "../../lib/errors";
import { removalMark } from "../membership-changes";
import { takeReadReceipts } from "./auth";
import type { ParleySocket } from "../types";
import { handshakeError } from "./handshake-error";
import type { SetupReads } from "./setup-reads";

export type LoadedMemberships = { conversationIds: string[]; mark: number; readReceipts: boolean };

const loaded = new WeakMap<ParleySocket, LoadedMemberships>();

/**
 * Looks the user's conversations up before the connection is accepted, so the connection
 * handler joins their rooms in the same tick as the client learns it is connected. Joined after
 * the connect instead, a broadcast in between was missed by a client that had already synced,
 * and with no later message to reveal the gap it stayed missing.
 */
export async function loadMemberships(socket: ParleySocket, next: (err?: Error) => void, reads: SetupReads): Promise<void> {
  try {
    const mark = removalMark();
    const userId = socket.data.userId;
    // The handshake read the setting with the session epoch; read it here only if it did not.
    const known = takeReadReceipts(socket);
    const [conversationIds, readReceipts] = await Promise.all([
      reads.conversationIds(userId),
      known ?? getSettings({ userId }).then((settings) => settings.readReceipts),
    ]);
    loaded.set(socket, { conversationIds, mark, readReceipts });
    next();
  } catch (error) {
    next(handshakeError(toAppError(error, `socket memberships user=${socket.data.userId}`)));
  }
}

/** The conversation ids the middleware loaded for this socket (once), and when it started loading them. */
export function takeMemberships(socket: ParleySocket): LoadedMemberships {
  const result = loaded.get(socket) ?? { conversationIds: [], mark: removalMark(), readReceipts: true };
  loaded.delete(socket);
  return result;
}
