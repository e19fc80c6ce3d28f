// Presence as the database knows it: when each person was last seen, and who may know it. Who is
// online right now is the socket server's bookkeeping (socket-server/presence/); this is the
// stored half. A person's presence is visible only to people who share a conversation with them.
import { getMemberIdsByConversations } from "../db/memberships";
import { getLastSeenByIds, raiseLastSeenAt } from "../db/users";
import { oid, type Actor } from "./ids";

export type LastSeen = { userId: string; lastSeenAt: string | null };

/**
 * Everyone who shares one of these conversations with the user, the user left out, with when each
 * was last seen. A conversation counts only if the user is a member of it now, whatever the caller
 * passed: this is what keeps one person's presence from reaching a stranger.
 */
export async function listContacts({ userId, conversationIds }: Actor & { conversationIds: string[] }): Promise<LastSeen[]> {
  const [contacts] = await contactsOf({ viewers: [{ userId, conversationIds }] });
  return lastSeenOf({ userIds: contacts! });
}

/**
 * The contacts of many viewers (connections arriving together), in one read of their
 * conversations' members: for each viewer, in order, everyone who shares one of the given
 * conversations with them now — the same rule as listContacts.
 */
export async function contactsOf({ viewers }: { viewers: (Actor & { conversationIds: string[] })[] }): Promise<string[][]> {
  const members = await memberIdsOf({ conversationIds: viewers.flatMap((viewer) => viewer.conversationIds) });
  return viewers.map((viewer) => contactsAmong(members, viewer));
}

/** Who is in each of these conversations now (user ids), keyed by conversation id; a conversation without members maps to []. */
export async function memberIdsOf({ conversationIds }: { conversationIds: string[] }): Promise<Map<string, string[]>> {
  const found = await getMemberIdsByConversations({ conversationIds: [...new Set(conversationIds)].map(oid) });
  return new Map([...found].map(([conversationId, userIds]) => [conversationId, userIds.map((id) => id.toHexString())]));
}

/**
 * The viewer's contacts given the members of their conversations: the members of those of
 * `conversationIds` that the viewer is in, the viewer left out. A conversation the viewer is not
 * a member of adds no one, whatever the caller passed.
 */
export function contactsAmong(members: ReadonlyMap<string, readonly string[]>, { userId, conversationIds }: Actor & { conversationIds: string[] }): string[] {
  const contacts = new Set<string>();
  for (const id of conversationIds) {
    const inIt = members.get(id);
    if (!inIt?.includes(userId)) continue;
    for (const member of inIt) contacts.add(member);
  }
  contacts.delete(userId);
  return [...contacts];
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
