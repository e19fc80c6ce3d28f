// The search index (DESIGN.md "Search"; portable: no $text). One document per message (its
// _id) in `searchIndex`: the keys its words are filed under (lib/search/keys.ts) in `w`, what
// the operators filter on, and the message version it was written from. A deleted message leaves
// a tombstone (no keys, no time) so that a slower writer holding an older version cannot bring
// it back.
//
// Every read is one conversation's postings of one key in a window of time: equality on the
// leading fields of (w, c, at) and a range on the last, which every planner answers from the
// index alone. (Measured on SecantusDB 0.7.0b3 at 200,000 messages: that shape, 7 ms; the same
// with several conversations as `$in`, or several keys as `$in`, a collection scan of seconds.
// So is any condition on a field the index does not hold, such as a phrase's pairs tested in the
// database, and with a `hint` of the index it ran for minutes: what is not a key is filtered here.)
// A window, not "newest first, at most N": SecantusDB 0.7.0b3 reads the whole range before it
// sorts and limits (25 postings of a common word in the 20,000-message conversation: 580 ms, against
// 4 ms for a window holding 33 of them).
import type { AnyBulkWriteOperation, Collection, Db, ObjectId } from "mongodb";
import { getDb, SOFT_WRITE } from "./client";
import { applyIndexes } from "./indexes";
import { isDuplicateKeyError } from "./messages";

export type PostingDoc = {
  _id: ObjectId;
  /** The conversation. */
  c: ObjectId;
  /** The message version this was written from: only ever replaced by a later one. */
  v: number;
  /** Absent on a tombstone. */
  at?: Date;
  /** The message's seq, to open the conversation at it. */
  seq?: number;
  /** The sender, and their name as the message holds it: from: is told from the posting, without reading the message. */
  s?: ObjectId;
  n?: string;
  /**
   * The text and the file names (lib/search/terms.ts searchedText), to tell whole words and phrases
   * from the posting: a read of the message for each candidate would cost more than the index.
   */
  t?: string;
  /** The keys of the words of the text and the file names, and the sender's (lib/search/keys.ts senderKey). */
  w?: string[];
  /** Members it is hidden for ("Delete for me"). */
  h?: ObjectId[];
  /** has:file, has:image, has:link. */
  f?: true;
  i?: true;
  l?: true;
};

/** What a read returns of a posting: enough to filter on before the messages are read. */
export type PostingRow = Pick<PostingDoc, "_id" | "c" | "at" | "s" | "n" | "t" | "w" | "h" | "f" | "i" | "l">;

// Its indexes are listed in indexes.ts.
const postings = async () => (await getDb()).collection<PostingDoc>("searchIndex");

/**
 * Since when every posting is also filed under its pairs of words (lib/search/keys.ts
 * pairKeysOf): postings written before Parley filed pairs have none, so a phrase is looked up by
 * its pair only from then on, and by a word before. One document among the singletons: set to
 * the start of time when the index starts empty (a new database, a rebuild), and otherwise, by
 * the first process that files pairs, to UPGRADE_LEEWAY_MS after it started (a process of the
 * previous version may still be writing until then). `npm run search:rebuild` brings it back to
 * the start of time.
 */
type PairsMark = { _id: "searchPairs"; from: Date };
const UPGRADE_LEEWAY_MS = 10 * 60 * 1000;
/** A process reads the mark again after this long: a rebuild elsewhere only ever moves it earlier, and until then the later one is merely slower. */
const MARK_READ_EVERY_MS = 60 * 1000;
const singletons = async () => (await getDb()).collection<PairsMark>("singletons");
let mark: { from: Promise<Date>; readAt: number } | null = null;

/** Since when every posting is filed under its pairs of words too; set first when there is no mark yet. */
export function pairsFrom(): Promise<Date> {
  if (mark === null || Date.now() - mark.readAt > MARK_READ_EVERY_MS) {
    const from = readPairsMark();
    mark = { from, readAt: Date.now() };
    // A failed read is not kept: the next call tries again.
    from.catch(() => {
      if (mark?.from === from) mark = null;
    });
  }
  return mark.from;
}

async function readPairsMark(): Promise<Date> {
  const found = await (await singletons()).findOne({ _id: "searchPairs" });
  if (found) return found.from;
  const empty = (await (await postings()).findOne({}, { projection: { _id: 1 } })) === null;
  const from = empty ? new Date(0) : new Date(Date.now() + UPGRADE_LEEWAY_MS);
  try {
    await (await singletons()).updateOne({ _id: "searchPairs" }, { $setOnInsert: { from } }, { upsert: true });
  } catch (error) {
    // Another process set it at the same moment: theirs stands.
    if (!isDuplicateKeyError(error)) throw error;
  }
  return (await (await singletons()).findOne({ _id: "searchPairs" }))?.from ?? from;
}

/**
 * Writes each posting unless the index already holds the same message at the same or a later
 * version. Inserted first: most postings are of new messages, and an insert skips the lookup an
 * upsert makes (measured on SecantusDB 0.7.0b3: 100 postings of ~19 keys, 150 ms inserted, 240
 * ms upserted). Those already there (edits, deletions, a rebuild) are then replaced conditionally
 * on the version, upserting; when a newer one is there, that upsert's insert collides on _id and
 * the posting is left as it is.
 */
export async function writePostings(docs: PostingDoc[]): Promise<void> {
  if (docs.length === 0) return;
  // The mark is set before this process's first posting, so that an empty index is told as empty.
  await pairsFrom();
  const col = await postings();
  const present = await insertNew(col, docs);
  if (present.length === 0) return;
  const ops: AnyBulkWriteOperation<PostingDoc>[] = present.map((doc) => ({
    replaceOne: { filter: { _id: doc._id, v: { $lt: doc.v } }, replacement: doc, upsert: true },
  }));
  try {
    await col.bulkWrite(ops, { ordered: false, ...SOFT_WRITE });
  } catch (error) {
    // Only "a newer version is already there" is expected; anything else is a real failure.
    duplicatesOnly(error);
  }
}

/** Inserts the postings; returns those whose message the index already holds. */
async function insertNew(col: Collection<PostingDoc>, docs: PostingDoc[]): Promise<PostingDoc[]> {
  try {
    await col.insertMany(docs, { ordered: false, ...SOFT_WRITE });
    return [];
  } catch (error) {
    return duplicatesOnly(error).map((index) => docs[index]!);
  }
}

/** The positions of a bulk write's duplicate-key failures; throws `error` when it failed otherwise. */
function duplicatesOnly(error: unknown): number[] {
  const writeErrors = (error as { writeErrors?: unknown }).writeErrors;
  const list = (Array.isArray(writeErrors) ? writeErrors : writeErrors ? [writeErrors] : []) as { index?: number }[];
  if (list.length === 0 || !list.every((e) => isDuplicateKeyError(e) && typeof e.index === "number")) throw error;
  return list.map((e) => e.index!);
}

/**
 * One conversation's postings in [from, to): of messages with a word filed under `key`, or of
 * every message when `key` is null (the (c, at) index).
 */
export async function findPostings({ key, conversationId, from, to }: { key: string | null; conversationId: ObjectId; from: Date; to: Date }): Promise<PostingRow[]> {
  const col = await postings();
  const query = key === null ? { c: conversationId, at: { $gte: from, $lt: to } } : { w: key, c: conversationId, at: { $gte: from, $lt: to } };
  // The whole posting: SecantusDB 0.7.0b3 returns 1,246 of them in 115 ms as they are, and in 157 ms projected to these fields.
  return col.find(query).toArray() as Promise<PostingRow[]>;
}

/**
 * Empties the index (the rebuild command starts from nothing): dropped, at once at any size, where
 * deleting every posting would outlast Parley's 2 s bound on a reply, and its indexes created
 * again. `db` is the caller's own connection, without that bound.
 *
 * Measured on SecantusDB 0.7.0b3 (2 busy cores): building these indexes over existing postings
 * (~3 ms a posting) is no faster than writing postings into them (~1.2 ms more than without), and
 * Parley's client applies every index when it connects anyway; so the postings go into indexes.
 */
export async function clearSearchIndex({ db }: { db: Db }): Promise<void> {
  await db
    .collection("searchIndex")
    .drop()
    .catch((error: { code?: number }) => {
      // Nothing to drop (servers before MongoDB 7 say so).
      if (error.code !== 26) throw error;
    });
  await applyIndexes(db, { only: ["searchIndex"] });
  // Whatever is written into it from now on is filed under its pairs.
  await db.collection<PairsMark>("singletons").updateOne({ _id: "searchPairs" }, { $set: { from: new Date(0) } }, { upsert: true });
}
