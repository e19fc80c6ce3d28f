import { deleteMessage, editMessage, messageUpdateOf, pinMessage, reactToMessage } from "../../lib/chat";
import { broadcastMessageUpdate, type Broadcaster } from "../../lib/realtime/fanout";
import type { ParleySocket } from "../types";
import { withAck } from "./wrap";

const CHANGES = {
  "message:edit": editMessage,
  "message:delete": deleteMessage,
  "message:react": reactToMessage,
  "message:pin": pinMessage,
} as const;

export function registerMessageChangeHandlers(io: Broadcaster, socket: ParleySocket): void {
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
