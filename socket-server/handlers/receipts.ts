import { markDelivered, markRead, type ReceiptResult } from "../../lib/chat";
import { broadcastReceipt, type Broadcaster } from "../../lib/fanout/fanout";
import type { Route } from "./router";

export function receiptRoutes(io: Broadcaster): Record<string, Route> {
  // A repeat or a lower seq moves nothing, and is not worth a broadcast.
  const announce = (result: ReceiptResult) => {
    if (result.changed) broadcastReceipt(io, result);
  };
  return {
    // Saying what this client holds is part of reading: a "read" token may.
    "conversation:delivered": {
      scope: "read",
      handle: async (socket, payload) => {
        const result = await markDelivered({ userId: socket.data.userId, input: payload });
        announce(result);
        return { lastDeliveredSeq: result.deliveredSeq };
      },
    },
    "conversation:read": {
      handle: async (socket, payload) => {
        const result = await markRead({ userId: socket.data.userId, input: payload });
        announce(result);
        return { lastReadSeq: result.readSeq };
      },
    },
  };
}
