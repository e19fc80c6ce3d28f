// Which conversations a search covers (lib/chat/search.ts): the searcher's, or the one asked for,
// narrowed by in: to those whose name, as their members see it, holds the typed words.
import type { ObjectId } from "mongodb";
import { getConversationsByIds, type ConversationDoc } from "../db/conversations";
import { getMemberIdsByConversations, getMembershipsByUser } from "../db/memberships";
import { getUsersByIds } from "../db/users";
import type { ParsedQuery } from "../search/query";
import { containsPhrase, splitWords, wordsOf } from "../search/words";
import { oid } from "./ids";
import { requireMembership } from "./membership";

/** The conversations searched: the searcher's, or the one asked for (NOT_FOUND unless a member), narrowed by in:. */
export async function searchedConversations(me: ObjectId, query: ParsedQuery, only: string | undefined): Promise<ConversationDoc[]> {
  let ids: ObjectId[];
  if (only) {
    await requireMembership({ conversationId: oid(only), userId: me });
    ids = [oid(only)];
  } else {
    ids = (await getMembershipsByUser({ userId: me })).map((m) => m.conversationId);
  }
  if (ids.length === 0) return [];
  const conversations = await getConversationsByIds({ ids });
  if (query.in.length === 0) return conversations;
  const names = await conversationNames(conversations, me);
  return conversations.filter((c) => query.in.some((wanted) => namesMatch(names.get(c._id.toHexString()) ?? "", wanted)));
}

/** Each conversation's name as its members see it: a direct conversation is named after the other person. */
async function conversationNames(conversations: ConversationDoc[], me: ObjectId): Promise<Map<string, string>> {
  const directs = conversations.filter((c) => c.kind === "direct");
  const members = directs.length > 0 ? await getMemberIdsByConversations({ conversationIds: directs.map((c) => c._id) }) : new Map<string, ObjectId[]>();
  const others = new Map(directs.map((c) => [c._id.toHexString(), members.get(c._id.toHexString())?.find((id) => !id.equals(me)) ?? me]));
  const users = await getUsersByIds({ ids: [...others.values()] });
  const userNames = new Map(users.map((u) => [u._id.toHexString(), u.name]));
  return new Map(conversations.map((c) => [c._id.toHexString(), c.name ?? userNames.get(others.get(c._id.toHexString())?.toHexString() ?? "") ?? ""]));
}

/** "in:team ch" matches "Design team chat": the wanted words begin at a word of the name. */
function namesMatch(name: string, wanted: string): boolean {
  const nameWords = splitWords(name).map((w) => w.folded);
  const wantedWords = wordsOf(wanted);
  if (wantedWords.length === 0) return false;
  return nameWords.some((_, i) => containsPhrase(nameWords.slice(i).join(" "), wantedWords) && nameWords[i]!.startsWith(wantedWords[0]!));
}
