import { markDelivered, markRead, type ReceiptResult } from "../../lib/chat";
import type { Settings } from "../../lib/schemas/user";
import type { ParleyServer, ParleySocket } from "../types";
import { conversationRoom, userRoom } from "../types";
import { withAck } from "./wrap";

/**
 * To the conversation's room: the other members see their ticks, and the member's own other
 * tabs see their read (and clear their unread badge). Also used for receipts announced over HTTP.
 * A member who turned read receipts off shows the others only their delivered watermark; their
 * own sockets still hear the full one. (That they see no one else's read state is enforced in
 * every HTTP answer and by their client; the broadcasts stay one per room.)
 */
export function broadcastReceipt(io: ParleyServer, { conversationId, userId, deliveredSeq, readSeq, hideRead }: Omit<ReceiptResult, "changed" | "hideRead"> & { hideRead?: boolean }): void {
  const room = conversationRoom(conversationId);
  const full = { conversationId, userId, deliveredSeq, readSeq };
  if (!hideRead) {
    io.to(room).emit("receipt", full);
    return;
  }
  io.to(room).except(userRoom(userId)).emit("receipt", { ...full, readSeq: 0 });
  io.to(userRoom(userId)).emit("receipt", full);
}

/** A user's settings changed: their other tabs hear it. */
export function applySettings(io: ParleyServer, userId: string, settings: Settings): void {
  io.to(userRoom(userId)).emit("settings:updated", { settings });
}

export function registerReceiptHandlers(io: ParleyServer, socket: ParleySocket): void {
  const actor = () => ({ userId: socket.data.userId });
  // A repeat or a lower seq moves nothing, and is not worth a broadcast.
  const announce = (result: ReceiptResult) => {
    if (result.changed) broadcastReceipt(io, result);
  };

  socket.on(
    "conversation:delivered",
    withAck(socket, "conversation:delivered", async (payload) => {
      const result = await markDelivered({ ...actor(), input: payload });
      announce(result);
      return { lastDeliveredSeq: result.deliveredSeq };
    }),
  );

  socket.on(
    "conversation:read",
    withAck(socket, "conversation:read", async (payload) => {
      const result = await markRead({ ...actor(), input: payload });
      announce(result);
      return { lastReadSeq: result.readSeq };
    }),
  );
}
