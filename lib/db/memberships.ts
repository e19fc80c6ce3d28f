import { createHash } from "node:crypto";
import { ObjectId, type Filter, type UpdateFilter, type UpdateOptions } from "mongodb";
import { getDb, SOFT_WRITE } from "./client";
import { inChunks } from "./in-chunks";
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

// Its indexes are listed in indexes.ts.
const memberships = async () => (await getDb()).collection<MembershipDoc>("memberships");

/**
 * A membership's _id is derived from (conversation, user): a creation repeated after a crash
 * finds its own document, and every update filters on `_id` plus the condition it depends on
 * (`lastReadSeq < seq`), which makes it one atomic round trip that says whether it moved.
 * Memberships stored before this (random _ids) are found through the unique
 * (conversationId, userId) index, and their stored _id is used from then on.
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
  // The unique (conversationId, userId) index finds derived and older random _ids alike, in one lookup.
  return (await memberships()).findOne({ conversationId, userId });
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

/** A filter value matching any of these ids: plain equality for one. */
const anyOf = (ids: ObjectId[]) => (ids.length === 1 ? ids[0]! : { $in: ids });

/**
 * For each of `values` of one key of the membership, the other key's values: one document per
 * value comes back, grouped by the database, rather than one per membership. Connections set up
 * together read this way: a reply of 40 grouped documents instead of 320 memberships cost the
 * embedded server a fifth less time, and this process a fraction of the decoding.
 */
async function groupedIds(by: "userId" | "conversationId", values: ObjectId[]): Promise<Map<string, ObjectId[]>> {
  const col = await memberships();
  const other = by === "userId" ? "conversationId" : "userId";
  const unique = [...new Map(values.map((id) => [id.toHexString(), id])).values()];
  const groups = await inChunks(unique, (slice) =>
    col.aggregate<{ _id: ObjectId; ids: ObjectId[] }>([{ $match: { [by]: anyOf(slice) } }, { $group: { _id: `$${by}`, ids: { $push: `$${other}` } } }]).toArray(),
  );
  const found = new Map<string, ObjectId[]>(unique.map((id) => [id.toHexString(), []]));
  for (const group of groups) found.set(group._id.toHexString(), group.ids);
  return found;
}

/** The conversations of many users at once (connections arriving together), from the (userId, conversationId) index; every user asked for has an entry. */
export function getConversationIdsByUsers({ userIds }: { userIds: ObjectId[] }): Promise<Map<string, ObjectId[]>> {
  return groupedIds("userId", userIds);
}

/** Who is in each of these conversations (ids only, from the unique (conversationId, userId) index); every conversation asked for has an entry. */
export function getMemberIdsByConversations({ conversationIds }: { conversationIds: ObjectId[] }): Promise<Map<string, ObjectId[]>> {
  return groupedIds("conversationId", conversationIds);
}

export async function getMembershipsByConversations({ conversationIds }: { conversationIds: ObjectId[] }): Promise<MembershipDoc[]> {
  const col = await memberships();
  return inChunks(conversationIds, (slice) => col.find({ conversationId: { $in: slice } }).toArray());
}

/** Some members of one conversation (the unique (conversationId, userId) index): those a room's message mentions. */
export async function getMembershipsOf({ conversationId, userIds }: { conversationId: ObjectId; userIds: ObjectId[] }): Promise<MembershipDoc[]> {
  const col = await memberships();
  return inChunks(userIds, (slice) => col.find({ conversationId, userId: anyOf(slice) }).toArray());
}

/** `id`: the membership's stored _id when the caller has read it already (saves finding it). */
type MemberKey = { conversationId: ObjectId; userId: ObjectId; id?: ObjectId };

/**
 * Updates the membership only while `unless` does not hold; true when it changed. `unless` is
 * part of the filter, so the check and the write are one atomic step: concurrent callers (other
 * processes included) never both report a change, and a watermark never goes down.
 */
async function updateUnless({ id, ...key }: MemberKey, unless: Filter<MembershipDoc>, update: UpdateFilter<MembershipDoc>, options: UpdateOptions = {}): Promise<boolean> {
  const col = await memberships();
  if (id) return (await col.updateOne({ _id: id, ...unless }, update, options)).modifiedCount > 0;
  const derived = await col.updateOne({ _id: membershipId(key.conversationId, key.userId), ...unless }, update, options);
  if (derived.matchedCount > 0) return derived.modifiedCount > 0;
  // Not under the derived _id: already as asked (then nothing to do), or stored with an older random _id.
  if (await col.findOne({ _id: membershipId(key.conversationId, key.userId) }, { projection: { _id: 1 } })) return false;
  const _id = await storedId(key);
  if (!_id) return false;
  return (await col.updateOne({ _id, ...unless }, update, options)).modifiedCount > 0;
}

/**
 * Raises the read (and so delivered) watermark; never lowers it. Returns whether it moved.
 * Watermarks are soft writes (SOFT_WRITE): one lost to a database crash is raised again by the
 * member's next receipt, and counts and ticks only ever show less than the truth meanwhile.
 */
export function raiseReadSeq({ seq, ...key }: MemberKey & { seq: number }): Promise<boolean> {
  return updateUnless(key, { lastReadSeq: { $lt: seq } }, { $max: { lastReadSeq: seq, lastDeliveredSeq: seq } }, SOFT_WRITE);
}

/**
 * Raises the delivered watermark alone; never lowers it. A read watermark at or past `seq`
 * already counts as delivered (readers have received what they read), so that is no move.
 */
export function raiseDeliveredSeq({ seq, ...key }: MemberKey & { seq: number }): Promise<boolean> {
  return updateUnless(key, { lastDeliveredSeq: { $lt: seq }, lastReadSeq: { $lt: seq } }, { $max: { lastDeliveredSeq: seq } }, SOFT_WRITE);
}

/** Mutes or unmutes the conversation for the member; returns whether it changed. */
export function setMuted({ muted, ...key }: MemberKey & { muted: boolean }): Promise<boolean> {
  return updateUnless(key, { muted: !muted }, { $set: { muted } });
}

/** Sets or clears the "marked as unread" flag (absent = false); returns whether it changed. */
export function setMarkedUnread({ markedUnread, ...key }: MemberKey & { markedUnread: boolean }): Promise<boolean> {
  return updateUnless(key, markedUnread ? { markedUnread: { $ne: true } } : { markedUnread: true }, { $set: { markedUnread } });
}

function isOnlyDuplicateKeyErrors(error: unknown): boolean {
  const writeErrors = (error as { writeErrors?: { code?: number }[] | { code?: number } }).writeErrors;
  const list = Array.isArray(writeErrors) ? writeErrors : writeErrors ? [writeErrors] : [];
  return list.length > 0 && list.every((item) => item.code === 11000);
}
