// What the search index holds of a message (lib/db/search.ts PostingDoc): written from the
// message as stored, at its version, by the indexer (indexer.ts).
import type { MessageDoc } from "../db/messages";
import type { PostingDoc } from "../db/search";
import { keysOf, pairKeysOf, senderKey } from "./keys";
import { splitWords } from "./words";

const LINK = /\bhttps?:\/\/|\bwww\./i;

/** What search matches in a message: its text and its files' names. */
export function searchedText(message: Pick<MessageDoc, "text" | "attachments">): string {
  return [message.text, ...(message.attachments ?? []).map((file) => file.name)].join("\n");
}

/** The posting of `message` at its version: a tombstone once deleted; system and call entries are not searched. */
export function postingOf(message: MessageDoc): PostingDoc {
  const tombstone: PostingDoc = { _id: message._id, c: message.conversationId, v: message.version };
  if (message.deletedAt || message.kind !== "text") return tombstone;
  const files = message.attachments ?? [];
  const text = searchedText(message);
  const words = splitWords(text).map((word) => word.folded);
  const doc: PostingDoc = {
    ...tombstone,
    at: message.createdAt,
    seq: message.seq,
    s: message.senderId,
    n: message.senderName,
    t: text,
    // Its words' keys, the pairs of words that follow one another (phrases), and its sender's.
    w: [...keysOf(words), ...pairKeysOf(words), senderKey(message.senderId.toHexString())],
  };
  if (message.hiddenFor.length > 0) doc.h = message.hiddenFor;
  if (files.length > 0) doc.f = true;
  if (files.some((file) => file.kind === "image")) doc.i = true;
  if (LINK.test(message.text)) doc.l = true;
  return doc;
}
