import { getConversation, joinRoom, leaveRoom } from "../../lib/chat";
import { broadcastGroupChange, type Broadcaster } from "../../lib/fanout/fanout";
import type { Route } from "./router";

/**
 * Joining and leaving rooms over the socket: the same core as the HTTP routes, and the same fan-out
 * as a group change, which moves every socket of the user (on every socket server, through the
 * adapter) before the "joined" / "left" message is said in the room.
 */
export function roomRoutes(io: Broadcaster): Record<string, Route> {
  return {
    "room:join": {
      handle: async (socket, payload) => {
        const { userId } = socket.data;
        const change = await joinRoom({ userId, input: payload });
        if (change.changed) broadcastGroupChange(io, change);
        return { conversation: await getConversation({ userId, input: { conversationId: change.conversation.id } }) };
      },
    },
    "room:leave": {
      handle: async (socket, payload) => {
        const change = await leaveRoom({ userId: socket.data.userId, input: payload });
        if (change.changed) broadcastGroupChange(io, change);
        return {};
      },
    },
  };
}
