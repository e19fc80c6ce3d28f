import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { AppError } from "../errors";
import type { TokenScope } from "../schemas/token";

// A personal access token reads `parley_pat_<24-hex id>_<43 base64url characters>`: the prefix
// lets secret scanners and people recognise one, the id makes checking it a lookup by _id, and
// the rest is 256 random bits. Only the SHA-256 of the whole string is stored.
const PREFIX = "parley_pat_";
const SHAPE = /^parley_pat_([a-f0-9]{24})_([A-Za-z0-9_-]{43})$/;

export function hashAccessToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** A new token for the document `id`: the string to show once, and what to store. */
export function mintAccessToken(id: string): { token: string; hash: string; hint: string } {
  const token = `${PREFIX}${id}_${randomBytes(32).toString("base64url")}`;
  return { token, hash: hashAccessToken(token), hint: token.slice(-4) };
}

/** Whether a bearer credential is meant as a personal access token (and not a realtime token). */
export function looksLikeAccessToken(credential: string): boolean {
  return credential.startsWith(PREFIX);
}

/** The document id a well-formed token names; null for anything else. */
export function accessTokenId(token: string): string | null {
  return SHAPE.exec(token)?.[1] ?? null;
}

/** Constant-time comparison of a presented token with a stored hash. */
export function matchesHash(token: string, hash: string): boolean {
  const presented = Buffer.from(hashAccessToken(token), "hex");
  const stored = Buffer.from(hash, "hex");
  return presented.length === stored.length && timingSafeEqual(presented, stored);
}

/** Refuses a credential without the scope an operation needs (FORBIDDEN: retrying cannot help). */
export function requireScope(holder: { scopes: readonly TokenScope[] }, scope: TokenScope): void {
  if (!holder.scopes.includes(scope)) throw new AppError("FORBIDDEN", `This token does not have the "${scope}" scope`);
}
