import { markDelivered, markRead, type ReceiptResult } from "../../lib/chat";
import { broadcastReceipt, type Broadcaster } from "../../lib/realtime/fanout";
import type { ParleySocket } from "../types";
import { withAck } from "./wrap";

export function registerReceiptHandlers(io: Broadcaster, socket: ParleySocket): void {
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
