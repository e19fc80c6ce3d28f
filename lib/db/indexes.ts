import type { Db, IndexDescription } from "mongodb";

// Every collection's indexes, in one list that the client applies on connecting (client.ts). They
// live here, not beside each collection's queries, because the collection modules import the
// client, and the client must not import them back.
const indexes: Record<string, IndexDescription[]> = {
  users: [
    { key: { email: 1 }, name: "email_unique", unique: true },
    { key: { name: 1 }, name: "name" },
    // Server admins: the few users with a role.
    { key: { role: 1 }, name: "role", partialFilterExpression: { role: "admin" } },
  ],
  conversations: [
    { key: { key: 1 }, name: "key_unique", unique: true },
    { key: { lastActivityAt: -1 }, name: "lastActivityAt" },
    // The search index's sweep: conversations whose latest changes are not indexed yet.
    { key: { searchBehind: 1 }, name: "searchBehind", partialFilterExpression: { searchBehind: true } },
    // The room directory: listed rooms (public, not archived) by activity or size, and by a name
    // word's prefix (multikey). `listed` exists only on those rooms, so each range holds only them.
    // The prefixes' index is partial rather than compound with `listed`: the embedded database
    // plans a multikey compound partial index as a scan, and this one as an index scan.
    { key: { listed: 1, lastActivityAt: -1 }, name: "listed_lastActivityAt", partialFilterExpression: { listed: true } },
    { key: { listed: 1, memberCount: -1, lastActivityAt: -1 }, name: "listed_memberCount", partialFilterExpression: { listed: true } },
    { key: { nameTerms: 1 }, name: "nameTerms_listed", partialFilterExpression: { listed: true } },
  ],
  memberships: [
    { key: { conversationId: 1, userId: 1 }, name: "conversation_user_unique", unique: true },
    { key: { userId: 1, conversationId: 1 }, name: "user_conversation" },
  ],
  messages: [
    { key: { conversationId: 1, seq: 1 }, name: "conversation_seq_unique", unique: true },
    // The idempotency key: at most one message per sender and clientMsgId, on any path or instance.
    { key: { conversationId: 1, senderId: 1, clientMsgId: 1 }, name: "conversation_sender_clientMsgId_unique", unique: true },
    // Unique, so that concurrent changes cannot take the same version: the index decides who wins.
    { key: { conversationId: 1, version: 1 }, name: "conversation_version_unique", unique: true },
    // Unread mentions of one member after their read watermark, when more than a window is unread (multikey).
    { key: { conversationId: 1, mentions: 1, seq: 1 }, name: "conversation_mentions_seq" },
    // The pinned-messages bar: a conversation's pins, without reading its other messages.
    { key: { conversationId: 1, pinnedAt: 1 }, name: "conversation_pinnedAt" },
  ],
  // The search index (lib/db/search.ts). A word in the searcher's conversations in a window of
  // time, newest first (multikey on w); without words, a conversation's messages in a window.
  searchIndex: [
    { key: { w: 1, c: 1, at: -1 }, name: "w_c_at" },
    { key: { c: 1, at: -1 }, name: "c_at" },
  ],
  // Personal access tokens are read by _id; a user's list is this range.
  accessTokens: [{ key: { userId: 1, createdAt: -1 }, name: "userId_createdAt" }],
  files: [
    // The sweep: files no message took, oldest first.
    { key: { attached: 1, createdAt: 1 }, name: "attached_createdAt" },
  ],
  // Web Push (lib/db/push-subscriptions.ts): one subscription per endpoint, and a user's devices.
  pushSubscriptions: [
    { key: { endpoint: 1 }, name: "endpoint_unique", unique: true },
    { key: { userId: 1 }, name: "userId" },
  ],
  calls: [
    // Busy: a person is in at most one live call, whichever tab or socket server placed or answered it.
    { key: { lines: 1 }, name: "lines_live_unique", unique: true, partialFilterExpression: { live: true } },
    // The sweep every socket server runs: calls whose ringing time is up, whose parties' leases ran
    // out, and ended calls whose entry is not written yet. Each a bounded range.
    { key: { state: 1, ringUntil: 1 }, name: "state_ringUntil" },
    { key: { live: 1, "caller.leaseUntil": 1 }, name: "live_callerLease" },
    { key: { live: 1, "callee.leaseUntil": 1 }, name: "live_calleeLease" },
    { key: { recorded: 1, endedAt: 1 }, name: "recorded_endedAt" },
  ],
};

/** Creates every index, one command per collection; an index that already exists is a no-op, so this runs at every start. */
export async function applyIndexes(db: Db, { only }: { only?: string[] } = {}): Promise<void> {
  const chosen = Object.entries(indexes).filter(([name]) => !only || only.includes(name));
  await Promise.all(chosen.map(([name, list]) => db.collection(name).createIndexes(list)));
}
