import { isMemberOf, sendMessage, syncMessages } from "../../lib/chat";
import { removalMark, removedSince } from "../membership-changes";
import type { ParleyServer, ParleySocket } from "../types";
import { conversationRoom } from "../types";
import { withAck } from "./wrap";

export function registerMessageHandlers(io: ParleyServer, socket: ParleySocket): void {
  const actor = () => ({ userId: socket.data.userId });
  // A check that cannot answer counts as "no": better to leave a room and sync later than to keep one wrongly.
  const isMember = (conversationId: string) => isMemberOf({ ...actor(), conversationId }).catch(() => false);

  socket.on(
    "message:send",
    withAck(socket, "message:send", async (payload) => {
      const { message } = await sendMessage({ ...actor(), input: payload, senderName: socket.data.name });
      // A repeat is announced again: its first store may have been cut off before its broadcast
      // (a crash, a lost announcement), and being the newest message, no later gap would reveal it.
      // Clients merge by id, so hearing a message twice changes nothing.
      io.to(conversationRoom(message.conversationId)).emit("message:created", { message });
      return { message };
    }, { limit: "messages" }),
  );

  socket.on(
    "sync",
    withAck(socket, "sync", async (payload) => {
      const mark = removalMark();
      const result = await syncMessages({ ...actor(), input: payload });
      // syncMessages checked membership; if the conversation:created announcement was lost, this
      // socket is not in the room yet, and syncing is the moment to repair that.
      const { conversationId } = payload as { conversationId: string };
      const room = conversationRoom(conversationId);
      if (!socket.rooms.has(room)) {
        socket.join(room);
        // Removed from it since the check above: the removal may have missed this join.
        if (removedSince(mark) && !(await isMember(conversationId))) socket.leave(room);
      }
      return result;
    }),
  );
}
