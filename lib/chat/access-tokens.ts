// Personal access tokens: how bots and scripts sign in (DESIGN.md "Clients beyond the browser").
// Made in Settings or by POST /api/tokens, shown once, stored hashed, revoked by their owner.
import { ObjectId } from "mongodb";
import { accessTokenId, matchesHash, mintAccessToken } from "../auth/access-token";
import { countAccessTokens, deleteAccessToken, getAccessToken, insertAccessToken, listAccessTokens as findTokens, touchAccessToken, type AccessTokenDoc } from "../db/access-tokens";
import { getUsersByIds } from "../db/users";
import { AppError } from "../errors";
import { createTokenSchema, tokenRefSchema, TOKENS_PER_USER_MAX, type AccessTokenDto, type CreatedToken, type TokenScope } from "../schemas/token";
import { oid, parseInput, type Actor } from "./ids";

const DAY_MS = 86_400_000;
/** "Last used" is exact to the minute: a busy bot writes it at most once a minute. */
const TOUCH_EVERY_MS = 60_000;

function toDto(doc: Omit<AccessTokenDoc, "hash">): AccessTokenDto {
  return {
    id: doc._id.toHexString(),
    name: doc.name,
    scopes: doc.scopes,
    hint: doc.hint,
    createdAt: doc.createdAt.toISOString(),
    expiresAt: doc.expiresAt?.toISOString() ?? null,
    lastUsedAt: doc.lastUsedAt?.toISOString() ?? null,
  };
}

export async function createAccessToken({ userId, input }: Actor & { input: unknown }): Promise<CreatedToken> {
  const data = parseInput(createTokenSchema, input);
  const owner = oid(userId);
  // A cap, not a quota to the unit: two creations at the same moment may both pass it.
  if ((await countAccessTokens({ userId: owner, limit: TOKENS_PER_USER_MAX })) >= TOKENS_PER_USER_MAX) {
    throw new AppError("CONFLICT", `You have ${TOKENS_PER_USER_MAX} tokens already: revoke one first`);
  }
  const _id = new ObjectId();
  const { token, hash, hint } = mintAccessToken(_id.toHexString());
  const createdAt = new Date();
  const expiresAt = data.expiresInDays === null ? null : new Date(createdAt.getTime() + data.expiresInDays * DAY_MS);
  const doc: AccessTokenDoc = { _id, userId: owner, name: data.name, scopes: data.scopes, hash, hint, createdAt, expiresAt, lastUsedAt: null };
  await insertAccessToken(doc);
  return { ...toDto(doc), token };
}

export async function listAccessTokens({ userId }: Actor): Promise<AccessTokenDto[]> {
  return (await findTokens({ userId: oid(userId), limit: TOKENS_PER_USER_MAX })).map(toDto);
}

/** Deletes one of the caller's tokens. Another user's token, or one already gone, is NOT_FOUND. */
export async function revokeAccessToken({ userId, input }: Actor & { input: unknown }): Promise<{ id: string }> {
  const { id } = parseInput(tokenRefSchema, input);
  if (!(await deleteAccessToken({ id: oid(id), userId: oid(userId) }))) throw new AppError("NOT_FOUND", "Token not found");
  return { id };
}

// When this process last wrote each token's "last used": most uses write nothing at all.
const touched = new Map<string, number>();
const TOUCHED_MAX = 10_000;

function touch(id: ObjectId, at: Date): void {
  const key = id.toHexString();
  if (at.getTime() - (touched.get(key) ?? -Infinity) < TOUCH_EVERY_MS) return;
  if (touched.size >= TOUCHED_MAX) touched.clear();
  touched.set(key, at.getTime());
  // Best effort: a missed "last used" costs nothing.
  void touchAccessToken({ id, at, every: TOUCH_EVERY_MS }).catch(() => undefined);
}

/** Who a token speaks for, and what it may do. `expiresAt` in ms, null when it does not expire. */
export type TokenIdentity = { userId: string; name: string; tokenId: string; scopes: TokenScope[]; expiresAt: number | null; readReceipts: boolean };

/**
 * The identity of a live token of an existing account; null for anything else (malformed, unknown,
 * revoked, expired, wrong secret, account gone), so callers cannot tell those apart. Two `_id` reads.
 */
export async function authenticateAccessToken(token: string, now = new Date()): Promise<TokenIdentity | null> {
  const id = accessTokenId(token);
  if (id === null) return null;
  const doc = await getAccessToken({ id: new ObjectId(id) });
  if (!doc || !matchesHash(token, doc.hash)) return null;
  if (doc.expiresAt !== null && doc.expiresAt.getTime() <= now.getTime()) return null;
  const [user] = await getUsersByIds({ ids: [doc.userId] });
  if (!user) return null;
  touch(doc._id, now);
  return {
    userId: doc.userId.toHexString(),
    name: user.name,
    tokenId: id,
    scopes: doc.scopes,
    expiresAt: doc.expiresAt?.getTime() ?? null,
    readReceipts: user.settings?.readReceipts !== false,
  };
}
