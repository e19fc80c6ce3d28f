import { deleteMessage, editMessage, messageUpdateOf, pinMessage, reactToMessage } from "../../lib/chat";
import type { MessageDto } from "../../lib/schemas/dto";
import type { ParleyServer, ParleySocket } from "../types";
import { conversationRoom, userRoom } from "../types";
import { withAck } from "./wrap";

/**
 * A changed message to whoever may see the change: the room, or for a delete for me the member's
 * own sockets only (their other tabs and devices), so no one else learns who hid what.
 */
export function broadcastMessageUpdate(io: ParleyServer, { message, userId }: { message: MessageDto; userId: string | null }): void {
  const room = userId === null ? conversationRoom(message.conversationId) : userRoom(userId);
  io.to(room).emit("message:updated", { message });
}

const CHANGES = {
  "message:edit": editMessage,
  "message:delete": deleteMessage,
  "message:react": reactToMessage,
  "message:pin": pinMessage,
} as const;

export function registerMessageChangeHandlers(io: ParleyServer, socket: ParleySocket): void {
  for (const [event, change] of Object.entries(CHANGES) as [keyof typeof CHANGES, (typeof CHANGES)[keyof typeof CHANGES]][]) {
    socket.on(
      event,
      withAck(socket, event, async (payload) => {
        const result = await change({ userId: socket.data.userId, input: payload });
        const update = messageUpdateOf(result);
        if (update) broadcastMessageUpdate(io, update);
        return { message: result.message };
      }),
    );
  }
}
