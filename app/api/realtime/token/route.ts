import { getSessionUser } from "@/lib/auth/session";
import { signRealtimeToken } from "@/lib/auth/realtime-token";
import { AppError, errorResponse } from "@/lib/errors";

/** A short-lived token for the socket handshake, for the signed-in browser session only. */
export async function GET() {
  try {
    const user = await getSessionUser();
    if (!user) throw new AppError("UNAUTHORIZED", "Sign in first");
    const token = await signRealtimeToken({ userId: user.id, name: user.name, sessionEpoch: user.sessionEpoch });
    return Response.json(token, { headers: { "cache-control": "no-store" } });
  } catch (error) {
    return errorResponse(error, "route realtime/token");
  }
}
