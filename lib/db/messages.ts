import { MongoBulkWriteError, ObjectId } from "mongodb";
import type { CallOutcome } from "../schemas/call";
import type { FileKind } from "../schemas/file";
import { getDb } from "./client";
import { inChunks } from "./in-chunks";
import { getPositionHints } from "./conversations";

export type MessageDoc = {
  _id: ObjectId;
  conversationId: ObjectId;
  seq: number;
  version: number;
  senderId: ObjectId;
  /** Denormalised so history renders without a join (there is no $lookup in the portable subset). */
  senderName: string;
  clientMsgId: string;
  kind: "text" | "system" | "call";
  text: string;
  /** On a `call` entry: the call it records (its `_id` is the call's id). */
  call?: { id: string; media: "audio" | "video"; outcome: CallOutcome; durationMs: number | null };
  /** The files it carries (lib/db/files.ts), described as they were when sent; emptied when deleted for everyone. */
  attachments?: { fileId: ObjectId; name: string; type: string; size: number; kind: FileKind; width?: number; height?: number }[];
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
export type MessageChange = Partial<Pick<MessageDoc, "text" | "attachments" | "editedAt" | "deletedAt" | "reactions" | "hiddenFor" | "pinnedAt" | "pinnedBy">>;

// Its indexes are listed in indexes.ts.
const messages = async () => (await getDb()).collection<MessageDoc>("messages");

export const DUPLICATE_KEY = 11000;

/** A unique index refused the write. */
export function isDuplicateKeyError(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === DUPLICATE_KEY;
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

/** The messages with these ids. */
export async function getMessagesByIds({ ids }: { ids: ObjectId[] }): Promise<MessageDoc[]> {
  const col = await messages();
  return inChunks(ids, (slice) => col.find({ _id: { $in: slice } }).toArray());
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
 * Writes a change to `current` at a new version, only if it still has the version it was read
 * at (compare-and-set, atomic on its own): returns the message as written, or null when another
 * writer changed it first. A duplicate key (another message took `version`) is thrown for the
 * sequencer to retry.
 */
export async function updateMessageAtVersion({
  current,
  version,
  change,
}: {
  current: MessageDoc;
  version: number;
  change: MessageChange;
}): Promise<MessageDoc | null> {
  const result = await (await messages()).updateOne({ _id: current._id, version: current.version }, { $set: { ...change, version } });
  // Matched means nothing had changed it since it was read: what is stored now is exactly this.
  return result.matchedCount === 0 ? null : { ...current, ...change, version };
}

/** Every pinned message of a conversation, the latest pin first. */
export async function getPinnedMessages({ conversationId, limit }: { conversationId: ObjectId; limit: number }): Promise<MessageDoc[]> {
  // `$gt` a date, not `$ne: null`: a range on the (conversationId, pinnedAt) index, which skips unpinned messages.
  return (await messages()).find({ conversationId, pinnedAt: { $gt: new Date(0) } }).sort({ pinnedAt: -1 }).limit(limit).toArray();
}

/**
 * The highest seq and version stored for a conversation (0 when empty). Both come from the
 * messages themselves, so they are only ever as high as what is visible to readers. The
 * conversation's own hints (positions written earlier, never above the truth) bound the search
 * to the messages written since they were last raised.
 */
export async function getHighestPositions({ conversationId }: { conversationId: ObjectId }): Promise<{ seq: number; version: number }> {
  const hints = await getPositionHints({ id: conversationId });
  const col = await messages();
  const [bySeq, byVersion] = await Promise.all([
    col.find({ conversationId, seq: { $gte: hints.seq } }, { projection: { seq: 1 } }).sort({ seq: -1 }).limit(1).next(),
    col.find({ conversationId, version: { $gte: hints.version } }, { projection: { version: 1 } }).sort({ version: -1 }).limit(1).next(),
  ]);
  return { seq: bySeq?.seq ?? hints.seq, version: byVersion?.version ?? hints.version };
}

/**
 * The highest version stored for a conversation, from `atLeast` (a version known to be reached, or
 * a hint never above the truth) up: a short range on the (conversationId, version) index. `atLeast`
 * when nothing is there.
 */
export async function getHighestVersion({ conversationId, atLeast }: { conversationId: ObjectId; atLeast: number }): Promise<number> {
  const row = await (await messages()).find({ conversationId, version: { $gte: atLeast } }, { projection: { version: 1 } }).sort({ version: -1 }).limit(1).next();
  return row?.version ?? atLeast;
}

/** How many rows one history window reads at most before it looks further back for gaps. */
const WINDOW_ROUNDS = 8;

/**
 * Up to `limit` messages below `before` (exclusive), newest first: the range
 * seq ∈ [before − limit, before) on the (conversationId, seq) index, so the cost follows the page,
 * not the conversation. Seqs are contiguous in practice; should some be missing, the window
 * moves further back (a few rounds at most) instead of returning a short page.
 */
export async function getMessagesBefore({ conversationId, before, limit }: { conversationId: ObjectId; before: number; limit: number }): Promise<MessageDoc[]> {
  const col = await messages();
  const rows: MessageDoc[] = [];
  let end = before;
  for (let round = 0; round < WINDOW_ROUNDS && rows.length < limit && end > 1; round += 1) {
    const start = Math.max(1, end - (limit - rows.length));
    const page = await col.find({ conversationId, seq: { $gte: start, $lt: end } }).toArray();
    rows.push(...page.sort((a, b) => b.seq - a.seq));
    end = start;
  }
  return rows;
}

/**
 * Up to `limit` messages above `after` (exclusive), oldest first: the range
 * seq ∈ (after, after + limit] on the (conversationId, seq) index, moving further forward (a few
 * rounds at most) over missing seqs, never past `through` (the highest seq there is).
 */
export async function getMessagesAfter({ conversationId, after, limit, through }: { conversationId: ObjectId; after: number; limit: number; through: number }): Promise<MessageDoc[]> {
  const col = await messages();
  const rows: MessageDoc[] = [];
  let start = after;
  for (let round = 0; round < WINDOW_ROUNDS && rows.length < limit && start < through; round += 1) {
    const end = Math.min(through, start + (limit - rows.length));
    const page = await col.find({ conversationId, seq: { $gt: start, $lte: end } }).toArray();
    rows.push(...page.sort((a, b) => a.seq - b.seq));
    start = end;
  }
  return rows;
}

/** Every message whose version is in (after, through], in version order: the range a sync step reads. */
export async function getMessagesInVersionRange({ conversationId, after, through }: { conversationId: ObjectId; after: number; through: number }): Promise<MessageDoc[]> {
  if (through <= after) return [];
  const rows = await (await messages()).find({ conversationId, version: { $gt: after, $lte: through } }).toArray();
  return rows.sort((a, b) => a.version - b.version);
}
