import { isMemberOf, searchMessages, sendMessage, syncMessages } from "../../lib/chat";
import type { PushEvent } from "../../lib/push/notify";
import { removalMark, removedSince } from "../membership-changes";
import type { ParleyServer } from "../types";
import { conversationRoom } from "../types";
import type { Route } from "./router";

export function messageRoutes(io: ParleyServer, notify: (event: PushEvent) => void): Record<string, Route> {
  return {
    "message:send": {
      limit: "messages",
      handle: async (socket, payload) => {
        const { message, duplicate } = await sendMessage({ userId: socket.data.userId, input: payload, senderName: socket.data.name });
        // A repeat is announced again: its first store may have been cut off before its broadcast
        // (a crash, a lost announcement), and being the newest message, no later gap would reveal it.
        // Clients merge by id, so hearing a message twice changes nothing. A push goes once, for the first.
        io.to(conversationRoom(message.conversationId)).emit("message:created", { message });
        if (!duplicate) notify({ type: "message", message });
        return { message };
      },
    },
    search: {
      scope: "read",
      limit: "searches",
      handle: (socket, payload) => searchMessages({ userId: socket.data.userId, input: payload }),
    },
    sync: {
      scope: "read",
      handle: async (socket, payload) => {
        const { userId } = socket.data;
        const mark = removalMark();
        const result = await syncMessages({ userId, input: payload });
        // syncMessages checked membership; if the conversation:created announcement was lost, this
        // socket is not in the room yet, and syncing is the moment to repair that.
        const { conversationId } = payload as { conversationId: string };
        const room = conversationRoom(conversationId);
        if (!socket.rooms.has(room)) {
          socket.join(room);
          // Removed from it since the check above: the removal may have missed this join. A check
          // that cannot answer counts as "no": better to leave a room and sync later than to keep one wrongly.
          if (removedSince(mark) && !(await isMemberOf({ userId, conversationId }).catch(() => false))) socket.leave(room);
        }
        return result;
      },
    },
  };
}
