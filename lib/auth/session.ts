import { getServerSession } from "next-auth";
import { headers } from "next/headers";
import { AppError } from "../errors";
import { getAuthOptions } from "./options";
import { verifyRealtimeToken } from "./realtime-token";

export type SessionUser = { id: string; name: string; email: string | null };

/** The signed-in user of this request (next-auth session cookie), or null. */
export async function getSessionUser(): Promise<SessionUser | null> {
  // Reading the request first marks every caller as per-request, so nothing session-dependent is prerendered.
  await headers();
  const session = await getServerSession(getAuthOptions());
  const user = session?.user;
  if (!user?.id) return null;
  return { id: user.id, name: user.name ?? "", email: user.email ?? null };
}

/**
 * For route handlers: a session cookie (browsers) or `Authorization: Bearer <realtime token>`
 * (scripts and other non-browser clients, which get that token from /api/realtime/token).
 */
export async function requireRequestUser(): Promise<{ id: string; name: string }> {
  const authorization = (await headers()).get("authorization");
  if (authorization?.startsWith("Bearer ")) {
    try {
      const { userId, name } = await verifyRealtimeToken(authorization.slice("Bearer ".length).trim());
      return { id: userId, name };
    } catch {
      throw new AppError("UNAUTHORIZED", "Invalid or expired token");
    }
  }
  const user = await getSessionUser();
  if (!user) throw new AppError("UNAUTHORIZED", "Sign in first");
  return user;
}
