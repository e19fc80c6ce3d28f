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

export async function insertMemberships(docs: Omit<MembershipDoc, "_id">[]): Promise<void> {
  if (docs.length === 0) return;
  // ordered:false so a retried creation fills in whatever is missing instead of stopping at the first duplicate.
  try {
    await (await memberships()).insertMany(docs as MembershipDoc[], { ordered: false });
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
  return (await memberships()).findOne({ conversationId, userId });
}

/** Adds one membership; false when it already exists (the unique index decides between concurrent adds). */
export async function insertMembership(doc: Omit<MembershipDoc, "_id">): Promise<boolean> {
  try {
    await (await memberships()).insertOne(doc as MembershipDoc);
    return true;
  } catch (error) {
    if (isDuplicateKeyError(error)) return false;
    throw error;
  }
}

/** Ends a membership; returns whether there was one (a repeated removal finds nothing). */
export async function deleteMembership({ conversationId, userId }: { conversationId: ObjectId; userId: ObjectId }): Promise<boolean> {
  const result = await (await memberships()).deleteOne({ conversationId, userId });
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
  await (await memberships()).updateOne({ conversationId, userId }, { $set: { role } });
}

export async function getMembershipsByUser({ userId }: { userId: ObjectId }): Promise<MembershipDoc[]> {
  return (await memberships()).find({ userId }).toArray();
}

export async function getMembershipsByConversations({ conversationIds }: { conversationIds: ObjectId[] }): Promise<MembershipDoc[]> {
  if (conversationIds.length === 0) return [];
  return (await memberships()).find({ conversationId: { $in: conversationIds } }).toArray();
}

/** Raises the read (and so delivered) watermark; never lowers it. Returns whether it moved. */
export async function raiseReadSeq({
  conversationId,
  userId,
  seq,
}: {
  conversationId: ObjectId;
  userId: ObjectId;
  seq: number;
}): Promise<boolean> {
  const col = await memberships();
  const read = await col.updateOne({ conversationId, userId, lastReadSeq: { $lt: seq } }, { $set: { lastReadSeq: seq } });
  await col.updateOne({ conversationId, userId, lastDeliveredSeq: { $lt: seq } }, { $set: { lastDeliveredSeq: seq } });
  return read.modifiedCount > 0;
}

/**
 * Raises the delivered watermark alone; never lowers it. A read watermark at or past `seq`
 * already counts as delivered (readers have received what they read), so that is no move.
 */
export async function raiseDeliveredSeq({
  conversationId,
  userId,
  seq,
}: {
  conversationId: ObjectId;
  userId: ObjectId;
  seq: number;
}): Promise<boolean> {
  const result = await (await memberships()).updateOne(
    { conversationId, userId, lastDeliveredSeq: { $lt: seq }, lastReadSeq: { $lt: seq } },
    { $set: { lastDeliveredSeq: seq } },
  );
  return result.modifiedCount > 0;
}

/** Mutes or unmutes the conversation for the member; returns whether it changed. */
export async function setMuted({ conversationId, userId, muted }: { conversationId: ObjectId; userId: ObjectId; muted: boolean }): Promise<boolean> {
  const result = await (await memberships()).updateOne({ conversationId, userId, muted: { $ne: muted } }, { $set: { muted } });
  return result.modifiedCount > 0;
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
  const result = await (await memberships()).updateOne({ conversationId, userId, markedUnread: { $ne: markedUnread } }, { $set: { markedUnread } });
  return result.modifiedCount > 0;
}

function isOnlyDuplicateKeyErrors(error: unknown): boolean {
  const writeErrors = (error as { writeErrors?: { code?: number }[] | { code?: number } }).writeErrors;
  const list = Array.isArray(writeErrors) ? writeErrors : writeErrors ? [writeErrors] : [];
  return list.length > 0 && list.every((item) => item.code === 11000);
}
