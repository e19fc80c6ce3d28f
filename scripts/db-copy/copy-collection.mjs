// One collection of `npm run db:copy`: its options and indexes, then its documents, streamed in
// _id order and inserted in ordered batches, so that whatever an interrupted run stored is a
// prefix of the source in _id order and the next run continues after the target's highest _id.
import { BSON } from "mongodb";

// Values come back as the BSON types they were stored as (an Int32 stays an Int32, a Double
// holding 2.0 stays a Double, an Int64 past 2^53 stays exact, a regex keeps its flags), so
// writing them again stores the same bytes. The JavaScript defaults would turn 2.0 into an Int32.
export const EXACT = { promoteValues: false, promoteLongs: false, promoteBuffers: false, bsonRegExp: true };

// A batch stops at whichever comes first: well under the 16 MB document and 48 MB message limits,
// and a few MB of memory at most (GridFS chunks are 255 kB each).
const MAX_BATCH_BYTES = 4 * 1024 * 1024;
const ID_ORDER = { _id: 1 };
const NAMESPACE_EXISTS = 48;
const DUPLICATE_KEY = 11000;

export class Interrupted extends Error {}

/**
 * Creates the collection as the source has it (a validator, a collation, capped…) and its
 * indexes, before any document: the unique indexes then guard the copy itself. Every option of
 * an index is kept (unique, partialFilterExpression, expireAfterSeconds, sparse, collation…), read
 * type-exact, except `v` and `ns`, which the target server sets. `_id_` exists with the collection.
 * @returns {Promise<number>} how many indexes besides _id_
 */
export async function prepareTarget({ sourceDb, targetDb, info, exists }) {
  if (!exists) {
    try {
      await targetDb.command({ create: info.name, ...info.options });
    } catch (error) {
      if (error.code !== NAMESPACE_EXISTS) throw error;
    }
  }
  const indexes = (await sourceDb.collection(info.name).listIndexes(EXACT).toArray())
    .filter((index) => index.name !== "_id_")
    .map((index) => Object.fromEntries(Object.entries(index).filter(([option]) => option !== "v" && option !== "ns")));
  if (indexes.length > 0) await targetDb.command({ createIndexes: info.name, indexes });
  return indexes.length;
}

/** The highest _id, through the _id index: without the hint SecantusDB sorts a full scan in memory. */
async function highestId(collection) {
  const [doc] = await collection.find({}, { ...EXACT, sort: { _id: -1 }, hint: ID_ORDER, limit: 1, projection: { _id: 1 } }).toArray();
  return doc?._id;
}

const typeOf = (value) => (value === null ? "null" : value instanceof Date ? "date" : (value._bsontype ?? typeof value));

/**
 * How this run continues: after the target's highest _id, or by looking up each batch's _ids
 * ("merge") when that would miss documents: the collection held other documents before the copy
 * (--force), or its _ids are of several types. `$gt` only matches values of the same BSON type
 * bracket, so after an ObjectId it would skip the Date _ids sorted behind it.
 */
export async function planCopy({ source, target, merge }) {
  if (merge) return { merge: true };
  const last = await highestId(target);
  if (last === undefined) return { merge: false, last };
  const sourceLast = await highestId(source);
  return { merge: sourceLast !== undefined && typeOf(sourceLast) !== typeOf(last), last };
}

/** The source's documents from `filter` on, in _id order, in batches of at most maxDocs and ~4 MB. */
async function* batches(source, filter, maxDocs) {
  // raw: the exact size of each document comes free with its bytes. The hint makes it a walk
  // along the _id index; SecantusDB's planner would sort the whole collection in memory first.
  const cursor = source.find(filter, { sort: ID_ORDER, hint: ID_ORDER, raw: true, batchSize: Math.min(maxDocs, 1000) });
  let docs = [];
  let bytes = 0;
  for await (const raw of cursor) {
    if (docs.length > 0 && (docs.length >= maxDocs || bytes + raw.length > MAX_BATCH_BYTES)) {
      yield docs;
      docs = [];
      bytes = 0;
    }
    docs.push(BSON.deserialize(raw, EXACT));
    bytes += raw.length;
  }
  if (docs.length > 0) yield docs;
}

/** Equal for the same _id of the same BSON type: a Set key. */
const idKey = (id) => BSON.serialize({ id }).toString("base64");

/** A batch ran into documents another writer had just stored (a second run of this copy, say). */
class Raced extends Error {
  constructor(cause, inserted) {
    super(cause.message, { cause });
    this.inserted = inserted;
  }
}

/**
 * Copies the documents the target lacks. `stats.copied` counts inserted documents as they go,
 * so an interruption still reports them.
 * @param {{ source: import("mongodb").Collection, target: import("mongodb").Collection, plan: { merge: boolean, last?: unknown },
 *   batchSize: number, bypassValidation: boolean, signal: AbortSignal, progress: { advance(n: number): void }, stats: { copied: number } }} job
 */
export async function copyCollection(job) {
  if (job.plan.merge) return copyMerging(job);
  let { last } = job.plan;
  for (;;) {
    try {
      for await (const docs of batches(job.source, last === undefined ? {} : { _id: { $gt: last } }, job.batchSize)) {
        await insert(job, docs);
        job.progress.advance(docs.length);
      }
      return;
    } catch (error) {
      if (!(error instanceof Raced)) throw error;
      job.progress.advance(error.inserted);
      // Go on after the target's new highest _id. Each restart needs the target to have grown
      // since the last one, so this ends; if it did not, the clash is not a race after all.
      const next = await highestId(job.target);
      if (idKey(next) === idKey(last)) throw error.cause;
      last = next;
    }
  }
}

/** Every source document, skipping the _ids the target already holds; a clash on another unique index is an error. */
async function copyMerging(job) {
  for await (const docs of batches(job.source, {}, job.batchSize)) {
    const found = await job.target.find({ _id: { $in: docs.map((doc) => doc._id) } }, { ...EXACT, projection: { _id: 1 } }).toArray();
    const present = new Set(found.map((doc) => idKey(doc._id)));
    const missing = docs.filter((doc) => !present.has(idKey(doc._id)));
    if (missing.length > 0) await insert(job, missing);
    job.progress.advance(docs.length);
  }
}

async function insert(job, docs) {
  if (job.signal.aborted) throw new Interrupted("interrupted");
  try {
    // Only where the source has a validator: bypassing needs a privilege (roles dbAdmin, restore) that readWrite lacks.
    await job.target.insertMany(docs, { ordered: true, ...(job.bypassValidation && { bypassDocumentValidation: true }) });
    job.stats.copied += docs.length;
  } catch (error) {
    if (error?.code !== DUPLICATE_KEY) throw error;
    // Ordered: the documents before the refused one are stored, none after it.
    const index = [error.writeErrors].flat()[0]?.index ?? 0;
    job.stats.copied += index;
    // Which unique index reports the clash is the server's choice (SecantusDB may name a
    // secondary one): the refused document already stored under its _id means a race; a
    // different document holding its unique key is a real conflict, reported as it is.
    const stored = docs[index] && (await job.target.findOne({ _id: docs[index]._id }, { projection: { _id: 1 } }));
    throw stored ? new Raced(error, index) : error;
  }
}
