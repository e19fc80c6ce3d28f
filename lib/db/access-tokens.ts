import type { ObjectId } from "mongodb";
import type { TokenScope } from "../schemas/token";
import { getDb, SOFT_WRITE } from "./client";

/**
 * A personal access token. Only a hash of the secret is stored (SHA-256: the secret is 256
 * random bits, so a slow hash would add nothing); the token names its own `_id`, so checking one
 * is an `_id` lookup and a constant-time comparison.
 */
export type AccessTokenDoc = {
  _id: ObjectId;
  userId: ObjectId;
  name: string;
  scopes: TokenScope[];
  hash: string;
  /** The secret's last four characters, shown in lists. */
  hint: string;
  createdAt: Date;
  /** null: until revoked. */
  expiresAt: Date | null;
  lastUsedAt: Date | null;
};

// Its indexes are listed in indexes.ts.
const tokens = async () => (await getDb()).collection<AccessTokenDoc>("accessTokens");

export async function insertAccessToken(doc: AccessTokenDoc): Promise<void> {
  await (await tokens()).insertOne(doc);
}

export async function getAccessToken({ id }: { id: ObjectId }): Promise<AccessTokenDoc | null> {
  return (await tokens()).findOne({ _id: id });
}

/** The user's tokens, newest first, at most `limit` (the userId_createdAt range). */
export async function listAccessTokens({ userId, limit }: { userId: ObjectId; limit: number }): Promise<AccessTokenDoc[]> {
  return (await tokens()).find({ userId }, { projection: { hash: 0 } }).sort({ createdAt: -1 }).limit(limit).toArray();
}

export async function countAccessTokens({ userId, limit }: { userId: ObjectId; limit: number }): Promise<number> {
  return (await tokens()).countDocuments({ userId }, { limit });
}

/** Deletes one of the user's tokens; false when they have none with that id. */
export async function deleteAccessToken({ id, userId }: { id: ObjectId; userId: ObjectId }): Promise<boolean> {
  const result = await (await tokens()).deleteOne({ _id: id, userId });
  return result.deletedCount === 1;
}

/** Notes a use, at most once per `every` ms per token (a busy bot does not write on each request). */
export async function touchAccessToken({ id, at, every }: { id: ObjectId; at: Date; every: number }): Promise<void> {
  const stale = new Date(at.getTime() - every);
  await (await tokens()).updateOne({ _id: id, $or: [{ lastUsedAt: null }, { lastUsedAt: { $lt: stale } }] }, { $set: { lastUsedAt: at } }, SOFT_WRITE);
}
