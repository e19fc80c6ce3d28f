import { verifyRealtimeToken } from "../../lib/auth/realtime-token";
import type { ParleySocket } from "../types";

/** Handshake authentication: a valid realtime token or no connection. Runs again on recovery. */
export async function authenticateSocket(socket: ParleySocket, next: (err?: Error) => void): Promise<void> {
  const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
  if (typeof token !== "string" || token.length === 0 || token.length > 4096) {
    next(new Error("UNAUTHORIZED: missing token"));
    return;
  }
  try {
    const { userId, name } = await verifyRealtimeToken(token);
    socket.data.userId = userId;
    socket.data.name = name;
    next();
  } catch {
    next(new Error("UNAUTHORIZED: invalid or expired token"));
  }
}
