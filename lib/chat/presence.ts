// Presence as the database knows it: when each person was last seen, and who may know it. Who is
// online right now is the socket server's bookkeeping (socket-server/presence/); this is the
// stored half. A person's presence is visible only to people who share a conversation with them.
import { getMembershipsByConversations } from "../db/memberships";
import { getLastSeenByIds, raiseLastSeenAt } from "../db/users";
import { oid, type Actor } from "./ids";

export type LastSeen = { userId: string; lastSeenAt: string | null };

/**
 * Everyone who shares one of these conversations with the user, the user left out, with when each
 * was last seen. A conversation counts only if the user is a member of it now, whatever the caller
 * passed: this is what keeps one person's presence from reaching a stranger.
 */
export async function listContacts({ userId, conversationIds }: Actor & { conversationIds: string[] }): Promise<LastSeen[]> {
  const memberships = await getMembershipsByConversations({ conversationIds: conversationIds.map(oid) });
  const mine = new Set(memberships.filter((m) => m.userId.toHexString() === userId).map((m) => m.conversationId.toHexString()));
  const contacts = new Set<string>();
  for (const m of memberships) {
    if (mine.has(m.conversationId.toHexString())) contacts.add(m.userId.toHexString());
  }
  contacts.delete(userId);
  return lastSeenOf({ userIds: [...contacts] });
}

/** When each of these users was last seen (null: never, or not since last seen was recorded). */
export async function lastSeenOf({ userIds }: { userIds: string[] }): Promise<LastSeen[]> {
  const found = await getLastSeenByIds({ ids: userIds.map(oid) });
  return found.map((user) => ({ userId: user._id.toHexString(), lastSeenAt: user.lastSeenAt ? user.lastSeenAt.toISOString() : null }));
}

/** Stored when the user's last connection closes. */
export async function recordLastSeen({ userId, at }: Actor & { at: Date }): Promise<void> {
  await raiseLastSeenAt({ id: oid(userId), at });
}
