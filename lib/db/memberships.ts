import { createHash } from "node:crypto";
import { ObjectId, type IndexDescription } from "mongodb";
import { getDb } from "./client";
import { isDuplicateKeyError } from "./messages";

export type MembershipDoc = {
  _id: ObjectId;
  conversationId: ObjectId;
  userId: ObjectId;
  /** The owner (the creator, or who it was handed to) and admins remove members; only the owner names admins. */
  role: "owner" | "admin" | "member";
  joinedAt: Date;
  lastDeliveredSeq: number;
  lastReadSeq: number;
  muted: boolean;
  /** "Mark as unread": shown as unread until the member reads it again. Absent = false. */
  markedUnread?: boolean;
};

export const membershipIndexes: IndexDescription[] = [
  { key: { conversationId: 1, userId: 1 }, name: "conversation_user_unique", unique: true },
  { key: { userId: 1, conversationId: 1 }, name: "user_conversation" },
];

const memberships = async () => (await getDb()).collection<MembershipDoc>("memberships");

/**
 * A membership's _id is derived from (conversation, user), so the lookups on every send, read and
 * receipt are `{ _id }` filters: the only kind the embedded database (FerretDB on SQLite) hands to
 * SQLite, where any other filter reads the whole collection. Updates then filter on `_id` alone
 * too, with `$max` for the watermarks (monotonic, and atomic on MongoDB). Memberships stored
 * before this have random _ids: they are found through (conversationId, userId), as before.
 */
export function membershipId(conversationId: ObjectId, userId: ObjectId): ObjectId {
  const digest = createHash("sha256").update(conversationId.id).update(userId.id).digest();
  return new ObjectId(digest.subarray(0, 12));
}

const withId = (doc: Omit<MembershipDoc, "_id">): MembershipDoc => ({ _id: membershipId(doc.conversationId, doc.userId), ...doc });

export async function insertMemberships(docs: Omit<MembershipDoc, "_id">[]): Promise<void> {
  if (docs.length === 0) return;
  // ordered:false so a retried creation fills in whatever is missing instead of stopping at the first duplicate.
  try {
    await (await memberships()).insertMany(docs.map(withId), { ordered: false });
  } catch (error) {
    if (!isOnlyDuplicateKeyErrors(error)) throw error;
  }
}

export async function getMembership({
  conversationId,
  userId,
}: {
  conversationId: ObjectId;
  userId: ObjectId;
}): Promise<MembershipDoc | null> {
  const col = await memberships();
  return (await col.findOne({ _id: membershipId(conversationId, userId) })) ?? col.findOne({ conversationId, userId });
}

/** The stored _id of a membership (derived, or an older random one), or null when there is none. */
async function storedId(key: { conversationId: ObjectId; userId: ObjectId }): Promise<ObjectId | null> {
  return (await getMembership(key))?._id ?? null;
}

/** Adds one membership; false when it already exists (the unique index decides between concurrent adds). */
export async function insertMembership(doc: Omit<MembershipDoc, "_id">): Promise<boolean> {
  try {
    await (await memberships()).insertOne(withId(doc));
    return true;
  } catch (error) {
    if (isDuplicateKeyError(error)) return false;
    throw error;
  }
}

/** Ends a membership; returns whether there was one (a repeated removal finds nothing). */
export async function deleteMembership(key: { conversationId: ObjectId; userId: ObjectId }): Promise<boolean> {
  const _id = await storedId(key);
  if (!_id) return false;
  const result = await (await memberships()).deleteOne({ _id });
  return result.deletedCount > 0;
}

export async function setMembershipRole({
  conversationId,
  userId,
  role,
}: {
  conversationId: ObjectId;
  userId: ObjectId;
  role: MembershipDoc["role"];
}): Promise<void> {
  const _id = await storedId({ conversationId, userId });
  if (_id) await (await memberships()).updateOne({ _id }, { $set: { role } });
}

export async function getMembershipsByUser({ userId }: { userId: ObjectId }): Promise<MembershipDoc[]> {
  return (await memberships()).find({ userId }).toArray();
}

export async function getMembershipsByConversations({ conversationIds }: { conversationIds: ObjectId[] }): Promise<MembershipDoc[]> {
  if (conversationIds.length === 0) return [];
  return (await memberships()).find({ conversationId: { $in: conversationIds } }).toArray();
}

/** Raises the read (and so delivered) watermark; never lowers it. Returns whether it moved. */
export async function raiseReadSeq({ conversationId, userId, seq }: { conversationId: ObjectId; userId: ObjectId; seq: number }): Promise<boolean> {
  const current = await getMembership({ conversationId, userId });
  if (!current || current.lastReadSeq >= seq) return false;
  await (await memberships()).updateOne({ _id: current._id }, { $max: { lastReadSeq: seq, lastDeliveredSeq: seq } });
  return true;
}

/**
 * Raises the delivered watermark alone; never lowers it. A read watermark at or past `seq`
 * already counts as delivered (readers have received what they read), so that is no move.
 */
export async function raiseDeliveredSeq({ conversationId, userId, seq }: { conversationId: ObjectId; userId: ObjectId; seq: number }): Promise<boolean> {
  const current = await getMembership({ conversationId, userId });
  if (!current || current.lastDeliveredSeq >= seq || current.lastReadSeq >= seq) return false;
  await (await memberships()).updateOne({ _id: current._id }, { $max: { lastDeliveredSeq: seq } });
  return true;
}

/** Mutes or unmutes the conversation for the member; returns whether it changed. */
export async function setMuted({ conversationId, userId, muted }: { conversationId: ObjectId; userId: ObjectId; muted: boolean }): Promise<boolean> {
  const current = await getMembership({ conversationId, userId });
  if (!current || current.muted === muted) return false;
  await (await memberships()).updateOne({ _id: current._id }, { $set: { muted } });
  return true;
}

/** Sets or clears the "marked as unread" flag; returns whether it changed. */
export async function setMarkedUnread({
  conversationId,
  userId,
  markedUnread,
}: {
  conversationId: ObjectId;
  userId: ObjectId;
  markedUnread: boolean;
}): Promise<boolean> {
  const current = await getMembership({ conversationId, userId });
  if (!current || (current.markedUnread ?? false) === markedUnread) return false;
  await (await memberships()).updateOne({ _id: current._id }, { $set: { markedUnread } });
  return true;
}

function isOnlyDuplicateKeyErrors(error: unknown): boolean {
  const writeErrors = (error as { writeErrors?: { code?: number }[] | { code?: number } }).writeErrors;
  const list = Array.isArray(writeErrors) ? writeErrors : writeErrors ? [writeErrors] : [];
  return list.length > 0 && list.every((item) => item.code === 11000);
}
