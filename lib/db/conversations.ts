import { ObjectId, type IndexDescription } from "mongodb";
import { getDb } from "./client";

export type LastMessage = {
  seq: number;
  /** Absent on documents written before system messages existed: those were all text. */
  kind?: "text" | "system";
  senderId: ObjectId;
  senderName: string;
  preview: string;
  createdAt: Date;
};

export type ConversationDoc = {
  _id: ObjectId;
  kind: "direct" | "group";
  /** `dm:<a>:<b>` with sorted user ids, or `group:<uuid>`: the unique key that makes DMs one per pair. */
  key: string;
  name: string | null;
  createdBy: ObjectId;
  createdAt: Date;
  /**
   * A cache for the conversation list, moved forward after each message. The source of truth
   * for seq, version and unread counts is the messages collection (see lib/chat/sequencer.ts).
   */
  lastMessage: LastMessage | null;
  lastActivityAt: Date;
};

export const conversationIndexes: IndexDescription[] = [
  { key: { key: 1 }, name: "key_unique", unique: true },
  { key: { lastActivityAt: -1 }, name: "lastActivityAt" },
];

const conversations = async () => (await getDb()).collection<ConversationDoc>("conversations");

export async function insertConversation(doc: Omit<ConversationDoc, "_id">): Promise<ConversationDoc> {
  const result = await (await conversations()).insertOne(doc as ConversationDoc);
  return { ...doc, _id: result.insertedId };
}

export async function getConversationById({ id }: { id: ObjectId }): Promise<ConversationDoc | null> {
  return (await conversations()).findOne({ _id: id });
}

export async function getConversationByKey({ key }: { key: string }): Promise<ConversationDoc | null> {
  return (await conversations()).findOne({ key });
}

export async function getConversationsByIds({ ids }: { ids: ObjectId[] }): Promise<ConversationDoc[]> {
  if (ids.length === 0) return [];
  return (await conversations()).find({ _id: { $in: ids } }).sort({ lastActivityAt: -1 }).toArray();
}

/** Moves lastMessage forward only: a slower concurrent write never replaces a newer preview. */
export async function advanceLastMessage({ id, lastMessage }: { id: ObjectId; lastMessage: LastMessage }): Promise<void> {
  await (await conversations()).updateOne(
    { _id: id, $or: [{ lastMessage: null }, { "lastMessage.seq": { $lt: lastMessage.seq } }] },
    { $set: { lastMessage, lastActivityAt: lastMessage.createdAt } },
  );
}

export async function setConversationName({ id, name }: { id: ObjectId; name: string }): Promise<void> {
  await (await conversations()).updateOne({ _id: id }, { $set: { name } });
}

/** Rewrites the list's preview when it shows this very message (it was edited or deleted). */
export async function setLastMessagePreview({ id, seq, preview }: { id: ObjectId; seq: number; preview: string }): Promise<void> {
  await (await conversations()).updateOne({ _id: id, "lastMessage.seq": seq }, { $set: { "lastMessage.preview": preview } });
}
