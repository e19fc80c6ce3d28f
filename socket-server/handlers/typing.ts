import { authorizeTyping } from "../../lib/chat";
import { TYPING_EXPIRES_MS, TYPING_THROTTLE_MS } from "../../lib/realtime/events";
import type { ParleyServer, ParleySocket } from "../types";
import { conversationRoom, userRoom } from "../types";
import { withAck } from "./wrap";

/**
 * Typing signals, relayed volatile to the conversation's other members. Throttled here whatever the
 * client does: per socket and conversation, at most one `typing: true` per TYPING_THROTTLE_MS
 * (one that comes sooner is dropped, even after a stop), and a stop only after a start that is
 * still showing. Receivers expire a start after TYPING_EXPIRES_MS by themselves; a socket that
 * closes stops whatever it started.
 */
export function registerTypingHandlers(io: ParleyServer, socket: ParleySocket): void {
  const { userId } = socket.data;
  // This socket's last start per conversation, and whether it still shows (no stop since).
  const started = new Map<string, { at: number; showing: boolean }>();
  const relay = (conversationId: string, typing: boolean) =>
    io.volatile.to(conversationRoom(conversationId)).except(userRoom(userId)).emit("typing", { conversationId, userId, typing });

  socket.on(
    "typing",
    withAck(socket, "typing", async (payload) => {
      const joined = (conversationId: string) => socket.rooms.has(conversationRoom(conversationId));
      const { conversationId, typing } = await authorizeTyping({ userId, input: payload, joined });
      const now = Date.now();
      const last = started.get(conversationId);
      if (typing && (!last || now - last.at >= TYPING_THROTTLE_MS)) {
        started.set(conversationId, { at: now, showing: true });
        relay(conversationId, true);
      } else if (!typing && last?.showing) {
        last.showing = false;
        if (now - last.at < TYPING_EXPIRES_MS) relay(conversationId, false);
      }
      return {};
    }),
  );

  socket.once("disconnect", () => {
    const now = Date.now();
    for (const [conversationId, { at, showing }] of started) {
      if (showing && now - at < TYPING_EXPIRES_MS) relay(conversationId, false);
    }
    started.clear();
  });
}
