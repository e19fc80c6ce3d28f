import { MongoBulkWriteError, ObjectId, type IndexDescription } from "mongodb";
import { getDb } from "./client";

export type MessageDoc = {
  _id: ObjectId;
  conversationId: ObjectId;
  seq: number;
  version: number;
  senderId: ObjectId;
  /** Denormalised so history renders without a join (there is no $lookup in the portable subset). */
  senderName: string;
  clientMsgId: string;
  kind: "text" | "system";
  text: string;
  replyTo: ObjectId | null;
  mentions: ObjectId[];
  reactions: { emoji: string; userId: ObjectId }[];
  hiddenFor: ObjectId[];
  createdAt: Date;
  editedAt: Date | null;
  deletedAt: Date | null;
  /** Absent on messages stored before pins existed: read as null. */
  pinnedAt?: Date | null;
  pinnedBy?: ObjectId | null;
};

/** What a change to a message may set; `version` is added by the writer. */
export type MessageChange = Partial<Pick<MessageDoc, "text" | "editedAt" | "deletedAt" | "reactions" | "hiddenFor" | "pinnedAt" | "pinnedBy">>;

export const messageIndexes: IndexDescription[] = [
  { key: { conversationId: 1, seq: 1 }, name: "conversation_seq_unique", unique: true },
  // The idempotency key: at most one message per sender and clientMsgId, on any path or instance.
  { key: { conversationId: 1, senderId: 1, clientMsgId: 1 }, name: "conversation_sender_clientMsgId_unique", unique: true },
  // Unique, so that concurrent changes cannot take the same version: the index decides who wins.
  { key: { conversationId: 1, version: 1 }, name: "conversation_version_unique", unique: true },
];

const messages = async () => (await getDb()).collection<MessageDoc>("messages");

export const DUPLICATE_KEY = 11000;

/**
 * A unique index refused the write. MongoDB says 11000 everywhere; FerretDB 1.24 says 11000 for
 * inserts but reports a unique violation from an update as code 1 with SQLite's message.
 */
export function isDuplicateKeyError(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: number; message?: string };
  return code === DUPLICATE_KEY || (code === 1 && typeof message === "string" && message.includes("UNIQUE constraint failed"));
}

export async function insertMessage(doc: Omit<MessageDoc, "_id">): Promise<MessageDoc> {
  const withId = { ...doc, _id: new ObjectId() };
  await (await messages()).insertOne(withId);
  return withId;
}

/** What an ordered insert of several messages did: the first `stored` were stored, and `failure` says why the next one was not. */
export type OrderedInsert = { stored: number; failure: { index: number; error: { code: number; message: string } } | null };

/**
 * Inserts `docs` in one ordered insertMany: they are stored one after another and the insert
 * stops at the first write error (a unique index refused it), which is reported with its index;
 * the documents before it are stored, the ones after it were not tried. Anything else (the
 * database did not answer, so nobody knows how many were stored) is thrown.
 */
export async function insertMessagesInOrder(docs: MessageDoc[]): Promise<OrderedInsert> {
  if (docs.length === 0) return { stored: 0, failure: null };
  try {
    await (await messages()).insertMany(docs, { ordered: true });
    return { stored: docs.length, failure: null };
  } catch (error) {
    if (!(error instanceof MongoBulkWriteError)) throw error;
    const writeError = Array.isArray(error.writeErrors) ? error.writeErrors[0] : error.writeErrors;
    if (!writeError || writeError.index < 0 || writeError.index >= docs.length) {
      // The driver wraps its own errors (a network timeout, a closed pool) in the bulk error, as
      // `errorResponse`: throw that one, which says the database is unavailable (lib/errors.ts).
      const { errorResponse } = error as { errorResponse?: unknown };
      throw errorResponse instanceof Error ? errorResponse : error;
    }
    return { stored: writeError.index, failure: { index: writeError.index, error: { code: writeError.code, message: writeError.errmsg ?? "" } } };
  }
}

/** The messages with these ids (a filter on _id alone: pushed down on FerretDB). */
export async function getMessagesByIds({ ids }: { ids: ObjectId[] }): Promise<MessageDoc[]> {
  if (ids.length === 0) return [];
  return (await messages()).find({ _id: { $in: ids } }).toArray();
}

export async function getMessageByClientId({
  conversationId,
  senderId,
  clientMsgId,
}: {
  conversationId: ObjectId;
  senderId: ObjectId;
  clientMsgId: string;
}): Promise<MessageDoc | null> {
  return (await messages()).findOne({ conversationId, senderId, clientMsgId });
}

export async function getMessageById({ id }: { id: ObjectId }): Promise<MessageDoc | null> {
  return (await messages()).findOne({ _id: id });
}

/**
 * Writes a change to one message at a new version, only if it still has `expectedVersion`
 * (compare-and-set): returns the message as written, or null when another writer changed it
 * first. A duplicate key (another message took `version`) is thrown for the sequencer to retry.
 */
export async function updateMessageAtVersion({
  id,
  expectedVersion,
  version,
  change,
}: {
  id: ObjectId;
  expectedVersion: number;
  version: number;
  change: MessageChange;
}): Promise<MessageDoc | null> {
  const col = await messages();
  const result = await col.updateOne({ _id: id, version: expectedVersion }, { $set: { ...change, version } });
  if (result.matchedCount === 0) return null;
  const written = await col.findOne({ _id: id });
  // On MongoDB the filter alone makes this a compare-and-set. FerretDB does not isolate an update
  // (read, modify, write), so callers also hold the message's lease (locks.ts); this re-read is
  // what they verify against.
  return written && written.version === version ? written : null;
}

/** Every pinned message of a conversation, the latest pin first. */
export async function getPinnedMessages({ conversationId, limit }: { conversationId: ObjectId; limit: number }): Promise<MessageDoc[]> {
  return (await messages()).find({ conversationId, pinnedAt: { $ne: null } }).sort({ pinnedAt: -1 }).limit(limit).toArray();
}

/**
 * The highest seq and version stored for a conversation (0 when empty). Both come from the
 * messages themselves, so they are only ever as high as what is visible to readers.
 */
export async function getHighestPositions({ conversationId }: { conversationId: ObjectId }): Promise<{ seq: number; version: number }> {
  const col = await messages();
  const [bySeq, byVersion] = await Promise.all([
    col.find({ conversationId }, { projection: { seq: 1 } }).sort({ seq: -1 }).limit(1).next(),
    col.find({ conversationId }, { projection: { version: 1 } }).sort({ version: -1 }).limit(1).next(),
  ]);
  return { seq: bySeq?.seq ?? 0, version: byVersion?.version ?? 0 };
}

/** Newest first from `before` (exclusive); `limit + 1` rows tell whether more exist. */
export async function getMessagesBefore({
  conversationId,
  before,
  limit,
}: {
  conversationId: ObjectId;
  before?: number;
  limit: number;
}): Promise<MessageDoc[]> {
  const filter = before === undefined ? { conversationId } : { conversationId, seq: { $lt: before } };
  return (await messages()).find(filter).sort({ seq: -1 }).limit(limit).toArray();
}

export async function getMessagesChangedSince({
  conversationId,
  sinceVersion,
  limit,
}: {
  conversationId: ObjectId;
  sinceVersion: number;
  limit: number;
}): Promise<MessageDoc[]> {
  return (await messages())
    .find({ conversationId, version: { $gt: sinceVersion } })
    .sort({ version: 1 })
    .limit(limit)
    .toArray();
}

/** Of these (conversation, seq) pairs, the conversations whose message at that seq the viewer deleted for themselves. */
export async function getHiddenForViewer({ pairs, viewer }: { pairs: { conversationId: ObjectId; seq: number }[]; viewer: ObjectId }): Promise<Set<string>> {
  if (pairs.length === 0) return new Set();
  const rows = await (await messages())
    .find({ $or: pairs.map(({ conversationId, seq }) => ({ conversationId, seq })), hiddenFor: viewer }, { projection: { conversationId: 1 } })
    .toArray();
  return new Set(rows.map((row) => row.conversationId.toHexString()));
}

/**
 * Per conversation, the messages from others after the viewer's read watermark there (only those
 * mentioning the viewer with `mentions`): one aggregation for the whole list, where a count per
 * conversation scanned the collection once each on FerretDB. Conversations with none are absent.
 */
export async function countUnreadByConversation({
  watermarks,
  userId,
  mentions = false,
}: {
  watermarks: { conversationId: ObjectId; afterSeq: number }[];
  userId: ObjectId;
  mentions?: boolean;
}): Promise<Map<string, number>> {
  if (watermarks.length === 0) return new Map();
  const match = {
    $or: watermarks.map(({ conversationId, afterSeq }) => ({ conversationId, seq: { $gt: afterSeq } })),
    senderId: { $ne: userId },
    ...(mentions ? { mentions: userId } : {}),
  };
  const rows = await (await messages())
    .aggregate<{ _id: ObjectId; count: number }>([{ $match: match }, { $group: { _id: "$conversationId", count: { $sum: 1 } } }])
    .toArray();
  return new Map(rows.map((row) => [row._id.toHexString(), row.count]));
}
