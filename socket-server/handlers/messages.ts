import { sendMessage, syncMessages } from "../../lib/chat";
import type { ParleyServer, ParleySocket } from "../types";
import { conversationRoom } from "../types";
import { withAck } from "./wrap";

export function registerMessageHandlers(io: ParleyServer, socket: ParleySocket): void {
  const actor = () => ({ userId: socket.data.userId });

  socket.on(
    "message:send",
    withAck(socket, "message:send", async (payload) => {
      const { message, duplicate } = await sendMessage({ ...actor(), input: payload });
      // A repeat was announced when it was first stored; clients that missed it converge through sync.
      if (!duplicate) io.to(conversationRoom(message.conversationId)).emit("message:created", { message });
      return { message };
    }),
  );

  socket.on(
    "sync",
    withAck(socket, "sync", async (payload) => {
      const result = await syncMessages({ ...actor(), input: payload });
      // syncMessages checked membership; if the conversation:created announcement was lost, this
      // socket is not in the room yet, and syncing is the moment to repair that.
      socket.join(conversationRoom((payload as { conversationId: string }).conversationId));
      return result;
    }),
  );
}
