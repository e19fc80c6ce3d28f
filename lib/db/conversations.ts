import { ObjectId, type Db, type Sort, type UpdateFilter } from "mongodb";
import { getServerEnv } from "../env";
import { getDb, SOFT_WRITE } from "./client";
import { inChunks } from "./in-chunks";

export type LastMessage = {
  seq: number;
  /** Absent on documents written before system messages existed: those were all text. */
  kind?: "text" | "system" | "call";
  senderId: ObjectId;
  senderName: string;
  preview: string;
  createdAt: Date;
};

export type ConversationDoc = {
  _id: ObjectId;
  kind: "direct" | "group" | "room";
  /** `dm:<a>:<b>` with sorted user ids, `group:<uuid>` or `room:<uuid>`: the unique key that makes DMs one per pair. */
  key: string;
  name: string | null;
  /** Rooms only: what the room is about (may be ""). */
  topic?: string;
  /** Rooms only: "public" rooms are listed in the directory and open to anyone signed in. */
  visibility?: "private" | "public";
  /** Rooms only: set when archived (read-only, out of the directory). */
  archivedAt?: Date | null;
  /**
   * Rooms only: how many members it has, moved with `$inc` right after each membership insert or
   * delete that succeeded, so it is exact under concurrent joins without ever counting memberships.
   */
  memberCount?: number;
  /** Rooms only, and only while public and not archived: what the directory's index ranges over. */
  listed?: true;
  /** With `listed`: the name's normalised word prefixes (lib/chat/room-terms.ts), for directory search by name. */
  nameTerms?: string[];
  createdBy: ObjectId;
  createdAt: Date;
  /**
   * A cache for the conversation list, moved forward after each message. The source of truth
   * for seq, version and unread counts is the messages collection (see lib/chat/sequencer.ts).
   */
  lastMessage: LastMessage | null;
  lastActivityAt: Date;
  /**
   * A version that changes of this conversation's messages have reached (raised after each
   * write; absent on older documents). Never above the truth, which is in the messages: a hint
   * that bounds the search for the highest one (lib/db/messages.ts getHighestPositions).
   */
  version?: number;
  /**
   * The search index holds this conversation's changes through this version (lib/search/indexer.ts);
   * absent or negative (after a rebuild's reset): nothing yet. `searchBehind` is set by every write that raises `version`, and cleared
   * once the index has reached it: the sweep's bounded read of what a crashed process left.
   */
  searchVersion?: number;
  searchBehind?: true;
};

// Its indexes are listed in indexes.ts.
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

/** The conversations with these ids, most recent activity first. */
export async function getConversationsByIds({ ids }: { ids: ObjectId[] }): Promise<ConversationDoc[]> {
  const col = await conversations();
  const found = await inChunks(ids, (slice) => col.find({ _id: { $in: slice } }).toArray());
  return found.sort((a, b) => b.lastActivityAt.getTime() - a.lastActivityAt.getTime());
}

/**
 * Moves lastMessage forward only: a slower concurrent write never replaces a newer preview. Also
 * raises the version hint to the message's version. Two conditional updates (the first message
 * finds `lastMessage: null`) rather than one with `$or`, which not every server plans by `_id`.
 */
export async function advanceLastMessage({ id, lastMessage, version }: { id: ObjectId; lastMessage: LastMessage; version: number }): Promise<void> {
  const col = await conversations();
  const update = { $set: { lastMessage, lastActivityAt: lastMessage.createdAt, ...behind() }, $max: { version } };
  // Soft: a preview lost to a database crash is put right by the conversation's next message.
  const moved = await col.updateOne({ _id: id, "lastMessage.seq": { $lt: lastMessage.seq } }, update, SOFT_WRITE);
  if (moved.matchedCount === 0) await col.updateOne({ _id: id, lastMessage: null }, update, SOFT_WRITE);
}

/** Raises the version hint after a change to a stored message. */
export async function raiseConversationVersion({ id, version }: { id: ObjectId; version: number }): Promise<void> {
  await (await conversations()).updateOne({ _id: id }, { $max: { version }, $set: behind() }, SOFT_WRITE);
}

/**
 * The flag a write that raises the version hint sets: none when this process keeps no search index
 * (SEARCH_INDEX=off), whose changes `npm run search:rebuild -- --continue` finds by the version hint instead.
 */
const behind = (): { searchBehind?: true } => (getServerEnv().SEARCH_INDEX === "on" ? { searchBehind: true } : {});

/**
 * Where the search index stands in this conversation: the stored searchVersion as it is (null when
 * absent; negative after a reset, each reset its own value), compared by advanceSearchVersion;
 * and the conversation's version hint (0 when unknown), where the search for its latest change starts.
 */
export async function getSearchPosition({ id }: { id: ObjectId }): Promise<{ stored: number | null; hint: number }> {
  const doc = await (await conversations()).findOne({ _id: id }, { projection: { searchVersion: 1, version: 1 } });
  return { stored: doc?.searchVersion ?? null, hint: doc?.version ?? 0 };
}

/**
 * Moves searchVersion from `from` (as getSearchPosition read it) to `to`; false when it is no longer
 * `from`: another writer moved it, or a rebuild reset it (its postings may have been cleared since).
 */
export async function advanceSearchVersion({ id, from, to }: { id: ObjectId; from: number | null; to: number }): Promise<boolean> {
  const moved = await (await conversations()).updateOne({ _id: id, searchVersion: from ?? { $exists: false } }, { $set: { searchVersion: to } }, SOFT_WRITE);
  return moved.matchedCount === 1;
}

/**
 * Moves several conversations' searchVersion, each from `from` to `to`, clearing the flag of each
 * whose version hint no later change raised past `to`. Returns how many moved: those whose
 * searchVersion was no longer `from` did not.
 */
export async function advanceSearchVersions(moves: { id: ObjectId; from: number; to: number }[]): Promise<number> {
  if (moves.length === 0) return 0;
  const col = await conversations();
  const first = await col.bulkWrite(
    moves.map(({ id, from, to }) => ({
      updateOne: { filter: { _id: id, searchVersion: from, version: { $lte: to } }, update: { $set: { searchVersion: to }, $unset: { searchBehind: "" as const } } },
    })),
    { ordered: false, ...SOFT_WRITE },
  );
  if (first.matchedCount === moves.length) return moves.length;
  // A later change raised the hint of some (or another writer moved them): those that are still
  // at `from` move without clearing the flag; the ones moved above no longer match.
  const second = await col.bulkWrite(
    moves.map(({ id, from, to }) => ({ updateOne: { filter: { _id: id, searchVersion: from }, update: { $set: { searchVersion: to } } } })),
    { ordered: false, ...SOFT_WRITE },
  );
  return first.matchedCount + second.matchedCount;
}

/** Clears the flag unless a later change raised the version hint past what the index reached. */
export async function clearSearchBehind({ id, version }: { id: ObjectId; version: number }): Promise<void> {
  await (await conversations()).updateOne({ _id: id, searchBehind: true, version: { $lte: version } }, { $unset: { searchBehind: "" } }, SOFT_WRITE);
}

/**
 * Conversations flagged behind (a range on the partial index of the flag), but not those with a
 * message since `quietSince`: a process writing there keeps their flag up between its index
 * writes, and any change it makes catches up whatever another process left.
 */
export async function getConversationsBehind({ limit, quietSince }: { limit: number; quietSince: Date }): Promise<ObjectId[]> {
  const rows = await (await conversations()).find({ searchBehind: true }, { projection: { _id: 1, lastActivityAt: 1 } }).limit(limit * 4).toArray();
  return rows.filter((row) => !(row.lastActivityAt > quietSince)).slice(0, limit).map((row) => row._id);
}

/**
 * Starts the search index over: every conversation is behind, from nothing. searchVersion takes a
 * value of this reset's own (negative: nothing indexed), so that an indexer that read it before the
 * reset cannot advance it afterwards over postings the reset's clearing removed.
 */
export async function resetSearchVersions({ db }: { db: Db }): Promise<void> {
  // On the caller's own connection: one write to every conversation can outlast Parley's 2 s bound.
  await db.collection<ConversationDoc>("conversations").updateMany({}, { $set: { searchBehind: true, searchVersion: -Date.now() } });
}

/** One page of conversations in _id order after `after`, with what tells whether their index is behind. */
export async function getSearchStates({ after, limit }: { after: ObjectId | null; limit: number }): Promise<{ _id: ObjectId; version?: number; searchVersion?: number; searchBehind?: true }[]> {
  const filter = after ? { _id: { $gt: after } } : {};
  return (await conversations()).find(filter, { projection: { version: 1, searchVersion: 1, searchBehind: 1 } }).sort({ _id: 1 }).limit(limit).toArray();
}

/** Lower bounds of the conversation's highest seq and version, from the conversation alone (0 when unknown). */
export async function getPositionHints({ id }: { id: ObjectId }): Promise<{ seq: number; version: number }> {
  const doc = await (await conversations()).findOne({ _id: id }, { projection: { "lastMessage.seq": 1, version: 1 } });
  const seq = doc?.lastMessage?.seq ?? 0;
  // Every message took a version when it was stored, so the version is at least the last seq.
  return { seq, version: Math.max(seq, doc?.version ?? 0) };
}

export async function setConversationName({ id, name }: { id: ObjectId; name: string }): Promise<void> {
  await (await conversations()).updateOne({ _id: id }, { $set: { name } });
}

/** Rewrites the list's preview when it shows this very message (it was edited or deleted). */
export async function setLastMessagePreview({ id, seq, preview }: { id: ObjectId; seq: number; preview: string }): Promise<void> {
  await (await conversations()).updateOne({ _id: id, "lastMessage.seq": seq }, { $set: { "lastMessage.preview": preview } });
}

/** Moves a room's stored member count; called right after the membership write that succeeded. */
export async function incrementMemberCount({ id, by }: { id: ObjectId; by: 1 | -1 }): Promise<void> {
  await (await conversations()).updateOne({ _id: id }, { $inc: { memberCount: by } });
}

export type RoomFields = Partial<Pick<ConversationDoc, "name" | "topic" | "visibility" | "archivedAt" | "listed" | "nameTerms">>;

/** Sets (or, given undefined, removes) a room's fields. */
export async function setRoomFields({ id, fields }: { id: ObjectId; fields: RoomFields }): Promise<void> {
  const $set = Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
  const $unset = Object.fromEntries(Object.keys(fields).filter((key) => fields[key as keyof RoomFields] === undefined).map((key) => [key, "" as const]));
  const update: UpdateFilter<ConversationDoc> = { ...(Object.keys($set).length ? { $set } : {}), ...(Object.keys($unset).length ? { $unset } : {}) };
  if (Object.keys(update).length > 0) await (await conversations()).updateOne({ _id: id }, update);
}

export type DirectorySort = "activity" | "size";

/**
 * The directory: listed rooms, busiest or largest first, as a bounded range of the
 * (listed, lastActivityAt) or (listed, memberCount) index. With `term`, the rooms whose name has a
 * word starting with it: equality on the multikey nameTerms index (partial: listed rooms only), at most `scanLimit`
 * rooms read, then sorted here (that set is small, and the embedded database sorts a range in
 * memory anyway rather than walking an index backwards).
 */
export async function getListedRooms({ term, sort, limit, scanLimit }: { term: string | null; sort: DirectorySort; limit: number; scanLimit: number }): Promise<ConversationDoc[]> {
  const col = await conversations();
  const order: Sort = sort === "size" ? { memberCount: -1, lastActivityAt: -1 } : { lastActivityAt: -1 };
  if (term === null) return col.find({ listed: true }).sort(order).limit(limit).toArray();
  const found = await col.find({ listed: true, nameTerms: term }).limit(scanLimit).toArray();
  const key = (doc: ConversationDoc) => (sort === "size" ? (doc.memberCount ?? 0) : doc.lastActivityAt.getTime());
  return found.sort((a, b) => key(b) - key(a) || b.lastActivityAt.getTime() - a.lastActivityAt.getTime()).slice(0, limit);
}
