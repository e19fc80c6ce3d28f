import { getServerSession } from "next-auth";
import { headers } from "next/headers";
import { currentSessionEpoch } from "../chat/users";
import { AppError } from "../errors";
import { assertSameSite } from "./csrf";
import { getAuthOptions } from "./options";
import { verifyRealtimeToken } from "./realtime-token";

export type SessionUser = { id: string; name: string; email: string | null; sessionEpoch: number };

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

/**
 * For route handlers: a session cookie (browsers) or `Authorization: Bearer <realtime token>`
 * (scripts and other non-browser clients, which get that token from /api/realtime/token).
 */
export async function requireRequestUser({ mutating = false }: { mutating?: boolean } = {}): Promise<{ id: string; name: string }> {
  const requestHeaders = await headers();
  const authorization = requestHeaders.get("authorization");
  if (authorization?.startsWith("Bearer ")) {
    try {
      const { userId, name, sessionEpoch } = verifyRealtimeToken(authorization.slice("Bearer ".length).trim());
      if ((await currentSessionEpoch({ userId })) !== sessionEpoch) throw new Error("session ended");
      return { id: userId, name };
    } catch {
      throw new AppError("UNAUTHORIZED", "Invalid or expired token");
    }
  }
  // The cookie is ambient: a write that relies on it must come from this site's own pages.
  if (mutating) assertSameSite(requestHeaders);
  const user = await getSessionUser();
  if (!user) throw new AppError("UNAUTHORIZED", "Sign in first");
  return user;
}
