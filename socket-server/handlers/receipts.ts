import { markDelivered, markRead, type ReceiptResult } from "../../lib/chat";
import type { ReceiptEvent } from "../../lib/realtime/events";
import type { ParleyServer, ParleySocket } from "../types";
import { conversationRoom } from "../types";
import { withAck } from "./wrap";

/**
 * To the conversation's room: the other members see their ticks, and the member's own other
 * tabs see their read (and clear their unread badge). Also used for receipts announced over HTTP.
 */
export function broadcastReceipt(io: ParleyServer, { conversationId, userId, deliveredSeq, readSeq }: ReceiptEvent): void {
  io.to(conversationRoom(conversationId)).emit("receipt", { conversationId, userId, deliveredSeq, readSeq });
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
