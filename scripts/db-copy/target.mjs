// The target side of `npm run db:copy`: whether it may be written, and the marker that records a
// copy in it. The marker is what tells "documents of an interrupted copy from this very source"
// (resume them) from "someone else's data" (refuse, unless --force).
import { formatCount } from "./progress.mjs";

/** The marker collection in the target; never copied, never counted. */
export const MARKER = "parley_copy";

export class Refused extends Error {}

export const isCopyable = (name) => name !== MARKER && !name.startsWith("system.");

/** Names of the database's collections (views and the like excluded), sorted. */
export async function collectionNames(db) {
  const all = await db.listCollections({}, { nameOnly: true }).toArray();
  return all.filter((info) => (info.type ?? "collection") === "collection" && isCopyable(info.name)).map((info) => info.name).sort();
}

/** Collections that hold documents, with their counts: empty ones (made by Parley's start-up index creation, say) do not count. */
async function occupied(db) {
  const counted = await Promise.all((await collectionNames(db)).map(async (name) => ({ name, count: await db.collection(name).countDocuments() })));
  return counted.filter(({ count }) => count > 0);
}

/**
 * Decides whether this copy may write into the target, before anything is written there.
 * @returns {Promise<{ resumed: boolean, merged: { name: string, count: number }[] }>} `merged`:
 *   collections that held other documents when this copy first wrote to the target (--force)
 */
export async function checkTarget({ target, sourceId, force }) {
  const markers = target.db.collection(MARKER);
  const marker = await markers.findOne({ _id: sourceId });
  if (marker) return { resumed: true, merged: marker.merged ?? [] };
  const found = await occupied(target.db);
  // Looked up again: another run of this same copy may have started, and written, meanwhile.
  const late = found.length > 0 ? await markers.findOne({ _id: sourceId }) : null;
  if (late) return { resumed: true, merged: late.merged ?? [] };
  if (found.length > 0 && !force) {
    const list = found.map(({ name, count }) => `${name} (${formatCount(count)})`).join(", ");
    throw new Refused(
      `the target database ${target.id} already holds data (${list}) and no copy from ${sourceId} was started there. ` +
        "Copy into an empty database, or add --force to write alongside it (collections that hold documents are then merged by _id).",
    );
  }
  return { resumed: false, merged: found };
}

/** Records (or re-records) the copy before its first write, so that an interrupted run is recognised as ours. */
export async function recordStart({ target, sourceId, merged }) {
  const now = new Date();
  const upsert = () =>
    target.db.collection(MARKER).updateOne(
      { _id: sourceId },
      { $setOnInsert: { startedAt: now, merged }, $set: { lastRunAt: now, finishedAt: null }, $inc: { runs: 1 } },
      { upsert: true },
    );
  // Two runs starting at once may both try to insert it; the loser's retry updates the winner's.
  await upsert().catch((error) => (error.code === 11000 ? upsert() : Promise.reject(error)));
}

/** Only once every count matched: a marker without finishedAt is a copy still to be completed. */
export async function recordFinish({ target, sourceId, counts }) {
  await target.db.collection(MARKER).updateOne({ _id: sourceId }, { $set: { finishedAt: new Date(), counts } });
}
