// Who from: names, for message search (lib/chat/search.ts): people by id, so that the index can
// be read from their keys (lib/search/keys.ts senderKey) in the conversations they are in.
import type { ObjectId } from "mongodb";
import type { ConversationDoc } from "../db/conversations";
import { getConversationIdsByUsers, getMemberIdsByConversations } from "../db/memberships";
import { getUsersByIds, getUsersByNames } from "../db/users";
import type { ParsedQuery } from "../search/query";
import { containsPhrase, wordsOf } from "../search/words";
import { oid } from "./ids";

/** Members of the searched conversations from: looks through at most; beyond, it is told from the names messages hold. */
const SENDER_LOOKUP_MAX = 400;
/** People one from: search starts from at most. */
const SENDERS_MAX = 8;

/** The people from: names, by id, and which of them are in a conversation. */
export type Senders = { ids: Set<string>; in: (c: ConversationDoc) => string[] };

/**
 * The people from: names: "me", and for each name the members of the searched conversations
 * called exactly that (as typed, or with capitals: the name index), else those whose name matches
 * (containsPhrase), a whole name before a part of one. Null when there is no from:, when a name
 * matches no member (it may be someone who has left: their messages are told by the names they
 * hold), or when there are too many members to look through or too many people to read for.
 */
export async function sendersOf(query: ParsedQuery, conversations: ConversationDoc[], me: ObjectId): Promise<Senders | null> {
  if (query.from.length === 0 || conversations.length === 0) return null;
  const searched = new Set(conversations.map((c) => c._id.toHexString()));
  const ids = new Set(query.from.includes("me") ? [me.toHexString()] : []);
  /** Per conversation, the named people in it. */
  const members = new Map<string, Set<string>>();
  const add = (conversation: string, user: string) => {
    ids.add(user);
    members.set(conversation, (members.get(conversation) ?? new Set()).add(user));
  };
  let everyone: Map<string, ObjectId[]> | null = null;
  for (const [i, name] of query.from.entries()) {
    if (name === "me") continue;
    const typed = query.fromAsTyped[i] ?? name;
    const exact = await getUsersByNames({ names: [typed, capitalized(typed)], limit: SENDERS_MAX + 1 });
    const inSearched = exact.length > 0 ? await getConversationIdsByUsers({ userIds: exact.map((u) => u._id) }) : new Map<string, ObjectId[]>();
    let found = false;
    for (const [user, conversationIds] of inSearched) {
      for (const id of conversationIds.map((c) => c.toHexString()).filter((c) => searched.has(c))) {
        add(id, user);
        found = true;
      }
    }
    if (found) continue;
    // No member is called exactly that: every member's name, in conversations small enough to look through.
    everyone ??= await getMemberIdsByConversations({ conversationIds: conversations.map((c) => c._id) });
    const all = [...new Set([...everyone.values()].flat().map((id) => id.toHexString()))];
    if (all.length > SENDER_LOOKUP_MAX) return null;
    const users = await getUsersByIds({ ids: all.map((id) => oid(id)) });
    const matching = users.filter((user) => containsPhrase(user.name, wordsOf(name))).map((user) => user._id.toHexString());
    if (matching.length === 0) return null;
    for (const [conversation, list] of everyone) for (const user of list.map((id) => id.toHexString())) if (matching.includes(user)) add(conversation, user);
  }
  if (ids.size > SENDERS_MAX) return null;
  const mine = me.toHexString();
  return { ids, in: (c) => [...ids].filter((id) => id === mine || members.get(c._id.toHexString())?.has(id) === true) };
}

/** "ana lima" → "Ana Lima": how most people write their name. */
function capitalized(name: string): string {
  return name.replace(/(^|\s)(\p{Ll})/gu, (_, space: string, letter: string) => space + letter.toUpperCase());
}
