import { markDelivered, markRead, type ReceiptResult } from "../../lib/chat";
import type { Settings } from "../../lib/schemas/user";
import type { ParleyServer, ParleySocket } from "../types";
import { conversationRoom, userRoom } from "../types";
import { withAck } from "./wrap";

/** Every socket of a user who turned read receipts off is in this room, so it hears no one's read watermark. */
export const RECEIPTS_OFF_ROOM = "receipts-off";

/**
 * To the conversation's room: the other members see their ticks, and the member's own other
 * tabs see their read (and clear their unread badge). Also used for receipts announced over HTTP.
 * Read receipts off works both ways: a member who turned them off shows the others only their
 * delivered watermark (their own sockets still hear the full one), and hears only delivered from
 * everyone else.
 */
export function broadcastReceipt(io: ParleyServer, { conversationId, userId, deliveredSeq, readSeq, hideRead }: Omit<ReceiptResult, "changed" | "hideRead"> & { hideRead?: boolean }): void {
  const full = { conversationId, userId, deliveredSeq, readSeq };
  const hidden = { ...full, readSeq: 0 };
  const others = io.to(conversationRoom(conversationId)).except(userRoom(userId));
  io.to(userRoom(userId)).emit("receipt", full);
  if (hideRead) return void others.emit("receipt", hidden);
  others.except(RECEIPTS_OFF_ROOM).emit("receipt", full);
  const withoutReceipts = localSocketsInBoth(io, conversationRoom(conversationId), RECEIPTS_OFF_ROOM);
  if (withoutReceipts.length > 0) io.to(withoutReceipts).except(userRoom(userId)).emit("receipt", hidden);
}

/**
 * The ids of this instance's sockets that are in both rooms (Socket.IO broadcasts to a union of
 * rooms, never an intersection). With several socket servers each instance must do its own part:
 * the Redis adapter work (issue 6) sends this step to every instance.
 */
function localSocketsInBoth(io: ParleyServer, a: string, b: string): string[] {
  const rooms = io.of("/").adapter.rooms;
  const [small, large] = [rooms.get(a), rooms.get(b)].sort((x, y) => (x?.size ?? 0) - (y?.size ?? 0));
  if (!small || !large) return [];
  return [...small].filter((id) => large.has(id));
}

/** A user's settings changed: their other tabs hear it, and their sockets join or leave the receipts-off room. */
export function applySettings(io: ParleyServer, userId: string, settings: Settings): void {
  const sockets = io.in(userRoom(userId));
  if (settings.readReceipts) sockets.socketsLeave(RECEIPTS_OFF_ROOM);
  else sockets.socketsJoin(RECEIPTS_OFF_ROOM);
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
