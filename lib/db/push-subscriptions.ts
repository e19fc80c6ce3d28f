import { ObjectId } from "mongodb";
import { getDb, SOFT_WRITE } from "./client";
import { inChunks } from "./in-chunks";
import { isDuplicateKeyError } from "./messages";

/** A browser's Web Push subscription: where to POST, and the keys to encrypt for it (RFC 8291). */
export type PushSubscriptionDoc = {
  _id: ObjectId;
  userId: ObjectId;
  /** The push service's URL for this browser; one subscription per endpoint (unique index). */
  endpoint: string;
  keys: { p256dh: string; auth: string };
  /** "Chrome on Linux": for the person to recognise it in Settings. */
  device: string;
  createdAt: Date;
  lastPushAt: Date | null;
};

// Its indexes are listed in indexes.ts: endpoint (unique) and userId.
const subscriptions = async () => (await getDb()).collection<PushSubscriptionDoc>("pushSubscriptions");

/**
 * Stores a subscription by its endpoint: new, refreshed (new keys, same browser), or moved to
 * this user (the browser's previous account signed out and another signed in; the push service
 * delivers to the browser, so the newest account it subscribed for owns it). Two concurrent
 * upserts of one endpoint: the unique index lets one insert, and the other updates on its retry.
 */
export async function upsertPushSubscription(doc: Omit<PushSubscriptionDoc, "_id" | "lastPushAt">): Promise<PushSubscriptionDoc> {
  const col = await subscriptions();
  const { endpoint, createdAt, ...fields } = doc;
  for (let attempt = 0; ; attempt += 1) {
    try {
      await col.updateOne({ endpoint }, { $set: fields, $setOnInsert: { createdAt, lastPushAt: null } }, { upsert: true });
      break;
    } catch (error) {
      if (attempt > 0 || !isDuplicateKeyError(error)) throw error;
    }
  }
  const stored = await col.findOne({ endpoint });
  if (!stored) throw new Error("push subscription vanished right after its upsert");
  return stored;
}

/** A user's subscriptions (the userId index), at most `limit`. */
export async function getPushSubscriptionsByUser({ userId, limit }: { userId: ObjectId; limit: number }): Promise<PushSubscriptionDoc[]> {
  return (await subscriptions()).find({ userId }).limit(limit).toArray();
}

/** The subscriptions of these users (the userId index, in chunks): who can be reached by push at all. */
export async function getPushSubscriptionsByUsers({ userIds }: { userIds: ObjectId[] }): Promise<PushSubscriptionDoc[]> {
  if (userIds.length === 0) return [];
  const col = await subscriptions();
  return inChunks(userIds, (slice) => col.find({ userId: { $in: slice } }).toArray());
}

/** Deletes one of the user's subscriptions; false when they have none with that id. */
export async function deletePushSubscription({ id, userId }: { id: ObjectId; userId: ObjectId }): Promise<boolean> {
  return (await (await subscriptions()).deleteOne({ _id: id, userId })).deletedCount === 1;
}

/** The push service said this subscription is gone (404/410): forgotten, unless it was renewed under the same endpoint meanwhile by other keys. */
export async function deleteExpiredPushSubscription({ id, p256dh }: { id: ObjectId; p256dh: string }): Promise<void> {
  await (await subscriptions()).deleteOne({ _id: id, "keys.p256dh": p256dh });
}

/** When a push last went to these subscriptions, for the device list. Soft: losing it costs nothing. */
export async function markPushed({ ids, at }: { ids: ObjectId[]; at: Date }): Promise<void> {
  if (ids.length === 0) return;
  await (await subscriptions()).updateMany({ _id: { $in: ids } }, { $set: { lastPushAt: at } }, SOFT_WRITE);
}

/** Deletes some of the user's subscriptions (the oldest, past the device limit). */
export async function deletePushSubscriptions({ ids, userId }: { ids: ObjectId[]; userId: ObjectId }): Promise<void> {
  if (ids.length === 0) return;
  await (await subscriptions()).deleteMany({ _id: { $in: ids }, userId });
}
