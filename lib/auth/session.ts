import { getServerSession } from "next-auth";
import { headers } from "next/headers";
import { authenticateAccessToken } from "../chat/access-tokens";
import { currentSessionEpoch } from "../chat/users";
import { AppError } from "../errors";
import { TOKEN_SCOPES, type TokenScope } from "../schemas/token";
import { looksLikeAccessToken } from "./access-token";
export { requireScope } from "./access-token";
import { assertSameSite } from "./csrf";
import { getAuthOptions } from "./options";
import { verifyRealtimeToken } from "./realtime-token";

export type SessionUser = { id: string; name: string; email: string | null; sessionEpoch: number };

/** Who a request speaks for, and what it may do (a browser session: everything); `tokenId`: the personal access token used. */
export type RequestUser = { id: string; name: string; scopes: readonly TokenScope[]; tokenId?: string };

/** The signed-in user of this request (next-auth session cookie), or null. */
export async function getSessionUser(): Promise<SessionUser | null> {
  // Reading the request first marks every caller as per-request, so nothing session-dependent is prerendered.
  await headers();
  const session = await getServerSession(getAuthOptions());
  const user = session?.user;
  if (!user?.id) return null;
  // A cookie from before the account's last sign-out (or of a deleted account) is no session.
  const epoch = await currentSessionEpoch({ userId: user.id });
  if (epoch === null || epoch !== (user.sessionEpoch ?? 0)) return null;
  return { id: user.id, name: user.name ?? "", email: user.email ?? null, sessionEpoch: epoch };
}

/** The credential of an `Authorization: Bearer <credential>` header, or null without one. */
export function bearerCredential(requestHeaders: Headers): string | null {
  const authorization = requestHeaders.get("authorization");
  if (!authorization || !/^bearer /i.test(authorization)) return null;
  return authorization.slice("bearer ".length).trim();
}

/**
 * For route handlers: `Authorization: Bearer <personal access token>` (bots and scripts), a
 * bearer realtime token (from /api/realtime/token), or the session cookie (browsers). A bearer
 * credential is judged alone, wherever the request comes from: it is never sent by a browser on
 * its own, so another site cannot ride it. The cookie is, so a write relying on it must come from
 * this site's own pages.
 */
export async function requireRequestUser({ mutating = false }: { mutating?: boolean } = {}): Promise<RequestUser> {
  const requestHeaders = await headers();
  const credential = bearerCredential(requestHeaders);
  if (credential !== null) {
    if (looksLikeAccessToken(credential)) {
      const identity = await authenticateAccessToken(credential);
      if (!identity) throw new AppError("UNAUTHORIZED", "Invalid, expired or revoked token");
      return { id: identity.userId, name: identity.name, scopes: identity.scopes, tokenId: identity.tokenId };
    }
    try {
      const { userId, name, sessionEpoch } = verifyRealtimeToken(credential);
      if ((await currentSessionEpoch({ userId })) !== sessionEpoch) throw new Error("session ended");
      return { id: userId, name, scopes: TOKEN_SCOPES };
    } catch {
      throw new AppError("UNAUTHORIZED", "Invalid or expired token");
    }
  }
  if (mutating) assertSameSite(requestHeaders);
  const user = await getSessionUser();
  if (!user) throw new AppError("UNAUTHORIZED", "Sign in first");
  return { id: user.id, name: user.name, scopes: TOKEN_SCOPES };
}
