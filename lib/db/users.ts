import { ObjectId } from "mongodb";
import { getDb, SOFT_WRITE } from "./client";
import { inChunks } from "./in-chunks";

export type UserDoc = {
  _id: ObjectId;
  name: string;
  email: string;
  passwordHash: string;
  image?: string;
  createdAt: Date;
  lastSeenAt: Date | null;
  /** Raised by a sign-out: every session and realtime token issued under a lower value is void. Absent = 0. */
  sessionEpoch?: number;
  /** The user's own choices. `readReceipts: false` hides their read watermark from others, and others' from them. */
  settings?: { readReceipts?: boolean };
  /** Bytes of the files they uploaded and keep (FILE_QUOTA_BYTES caps it). Absent = 0. */
  storageBytes?: number;
  /** Their profile picture's version (its blob is `avatar.<user id>.<version>`); absent or null: initials. */
  avatar?: string | null;
  /** A server admin (lib/db/admins.ts); absent for everyone else. */
  role?: "admin";
};

// Its indexes are listed in indexes.ts.
const users = async () => (await getDb()).collection<UserDoc>("users");

export async function insertUser(doc: Omit<UserDoc, "_id"> & { _id?: ObjectId }): Promise<UserDoc> {
  const result = await (await users()).insertOne(doc as UserDoc);
  return { ...doc, _id: result.insertedId };
}

export async function getUserByEmail({ email }: { email: string }): Promise<UserDoc | null> {
  return (await users()).findOne({ email });
}

async function findByIds<K extends keyof UserDoc>(ids: ObjectId[], fields: K[]): Promise<Pick<UserDoc, "_id" | K>[]> {
  if (ids.length === 0) return [];
  const projection = Object.fromEntries(fields.map((field) => [field, 1]));
  const col = await users();
  return inChunks([...new Set(ids.map(String))].map((id) => new ObjectId(id)), (slice) => col.find({ _id: { $in: slice } }, { projection }).toArray());
}

export async function getUsersByIds({ ids }: { ids: ObjectId[] }): Promise<Pick<UserDoc, "_id" | "name" | "settings" | "avatar">[]> {
  return findByIds(ids, ["name", "settings", "avatar"]);
}

/** Users whose name is exactly one of `names` (the name index), at most `limit`. */
export async function getUsersByNames({ names, limit }: { names: string[]; limit: number }): Promise<Pick<UserDoc, "_id" | "name">[]> {
  if (names.length === 0) return [];
  return (await users()).find({ name: { $in: [...new Set(names)] } }, { projection: { name: 1 } }).limit(limit).toArray();
}

export async function getAvatar({ id }: { id: ObjectId }): Promise<{ name: string; avatar: string | null } | null> {
  const user = await (await users()).findOne({ _id: id }, { projection: { name: 1, avatar: 1 } });
  return user ? { name: user.name, avatar: user.avatar ?? null } : null;
}

/**
 * Sets the profile picture's version (null: none) and returns the one it replaced, so that exactly
 * one writer removes each old picture: a compare-and-set on the version read (not findOneAndUpdate,
 * which not every server plans by _id), tried again when another change came in between.
 */
export async function setAvatar({ id, avatar }: { id: ObjectId; avatar: string | null }): Promise<string | null> {
  const col = await users();
  for (;;) {
    const current = await col.findOne({ _id: id }, { projection: { avatar: 1 } });
    if (!current) return null;
    const before = current.avatar ?? null;
    // `avatar: null` also matches a user who never had one (the field absent).
    const result = await col.updateOne({ _id: id, avatar: before }, { $set: { avatar } });
    if (result.matchedCount === 1) return before;
  }
}

/** Whether the user sends read receipts (the default); false when they turned them off, or do not exist. */
export async function getReadReceipts({ id }: { id: ObjectId }): Promise<boolean> {
  const user = await (await users()).findOne({ _id: id }, { projection: { settings: 1 } });
  return user !== null && user.settings?.readReceipts !== false;
}

export async function setReadReceipts({ id, readReceipts }: { id: ObjectId; readReceipts: boolean }): Promise<void> {
  await (await users()).updateOne({ _id: id }, { $set: { "settings.readReceipts": readReceipts } });
}

export async function getSessionEpoch({ id }: { id: ObjectId }): Promise<number | null> {
  const user = await (await users()).findOne({ _id: id }, { projection: { sessionEpoch: 1 } });
  return user ? (user.sessionEpoch ?? 0) : null;
}

export type ConnectionState = { sessionEpoch: number; readReceipts: boolean };

/**
 * What a new connection needs of its user: the session epoch and whether they send read receipts,
 * for many users in one read (connections arriving together share it). Users that do not exist
 * are absent from the map.
 */
export async function getConnectionStates({ ids }: { ids: ObjectId[] }): Promise<Map<string, ConnectionState>> {
  const found = await findByIds(ids, ["sessionEpoch", "settings"]);
  return new Map(found.map((user) => [user._id.toHexString(), { sessionEpoch: user.sessionEpoch ?? 0, readReceipts: user.settings?.readReceipts !== false }]));
}

export async function raiseSessionEpoch({ id }: { id: ObjectId }): Promise<void> {
  await (await users()).updateOne({ _id: id }, { $inc: { sessionEpoch: 1 } });
}

/**
 * Name matches anywhere, case-insensitively (the pattern is escaped by the caller); an email
 * only matches exactly, so search cannot be used to harvest other people's addresses.
 */
export async function findUsers({
  namePattern,
  email,
  excludeId,
  limit,
}: {
  namePattern: string;
  email: string | null;
  excludeId: ObjectId;
  limit: number;
}): Promise<Pick<UserDoc, "_id" | "name" | "email" | "avatar">[]> {
  const or: object[] = [{ name: { $regex: namePattern, $options: "i" } }];
  if (email) or.push({ email });
  return (await users())
    .find({ _id: { $ne: excludeId }, $or: or }, { projection: { name: 1, email: 1, avatar: 1 } })
    .sort({ name: 1 })
    .limit(limit)
    .toArray();
}

export async function getLastSeenByIds({ ids }: { ids: ObjectId[] }): Promise<Pick<UserDoc, "_id" | "lastSeenAt">[]> {
  return findByIds(ids, ["lastSeenAt"]);
}

/** Moves `lastSeenAt` forward to `at`; never back (a late write of an earlier disconnect changes nothing). `$max` replaces null, as any date sorts above it. */
export async function raiseLastSeenAt({ id, at }: { id: ObjectId; at: Date }): Promise<void> {
  await (await users()).updateOne({ _id: id }, { $max: { lastSeenAt: at } }, SOFT_WRITE);
}

/**
 * Counts `bytes` against the user's storage if they fit under `quota`, in one conditional update:
 * two uploads at once cannot both take the last of it. False when they do not fit.
 */
export async function reserveStorage({ id, bytes, quota }: { id: ObjectId; bytes: number; quota: number }): Promise<boolean> {
  if (bytes > quota) return false;
  const col = await users();
  // No $or (the embedded database plans it as a scan, even beside an _id): a counter that is not
  // there yet is made 0 first, then the one conditional update decides.
  await col.updateOne({ _id: id, storageBytes: { $exists: false } }, { $set: { storageBytes: 0 } });
  const result = await col.updateOne({ _id: id, storageBytes: { $lte: quota - bytes } }, { $inc: { storageBytes: bytes } });
  return result.matchedCount === 1;
}

/** Gives back what deleted files took; never below zero. */
export async function releaseStorage({ id, bytes }: { id: ObjectId; bytes: number }): Promise<void> {
  if (bytes <= 0) return;
  const col = await users();
  await col.updateOne({ _id: id }, { $inc: { storageBytes: -bytes } });
  await col.updateOne({ _id: id, storageBytes: { $lt: 0 } }, { $set: { storageBytes: 0 } });
}

/** Bytes of files the user keeps stored (0 when none). */
export async function getStorageBytes({ id }: { id: ObjectId }): Promise<number> {
  const user = await (await users()).findOne({ _id: id }, { projection: { storageBytes: 1 } });
  return user?.storageBytes ?? 0;
}
