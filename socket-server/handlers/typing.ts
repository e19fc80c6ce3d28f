import { authorizeTyping } from "../../lib/chat";
import { TYPING_EXPIRES_MS, TYPING_THROTTLE_MS } from "../../lib/realtime/events";
import type { UploadActivity } from "../../lib/schemas/file";
import type { ParleyServer, ParleySocket } from "../types";
import { conversationRoom, userRoom } from "../types";
import type { Route } from "./router";

type Started = Map<string, { at: number; showing: boolean }>;

/**
 * Typing signals, relayed volatile to the conversation's other members. Throttled here whatever the
 * client does: per socket and conversation, at most one `typing: true` per TYPING_THROTTLE_MS
 * (one that comes sooner is dropped, even after a stop), and a stop only after a start that is
 * still showing. Receivers expire a start after TYPING_EXPIRES_MS by themselves; a socket that
 * closes stops whatever it started (`stopTyping`, from the server's disconnect listener).
 */
export function createTyping(io: ParleyServer) {
  // Each socket's last start per conversation, and whether it still shows (no stop since); only
  // sockets that have typed have an entry.
  const startedBy = new WeakMap<ParleySocket, Started>();
  const relay = (userId: string, conversationId: string, typing: boolean, activity?: UploadActivity) =>
    io.volatile
      .to(conversationRoom(conversationId))
      .except(userRoom(userId))
      .emit("typing", activity && typing ? { conversationId, userId, typing, activity } : { conversationId, userId, typing });

  const routes: Record<string, Route> = {
    typing: {
      handle: async (socket, payload) => {
        const { userId } = socket.data;
        const joined = (conversationId: string) => socket.rooms.has(conversationRoom(conversationId));
        const { conversationId, typing, activity } = await authorizeTyping({ userId, input: payload, joined });
        const now = Date.now();
        let started = startedBy.get(socket);
        const last = started?.get(conversationId);
        if (typing && (!last || now - last.at >= TYPING_THROTTLE_MS)) {
          if (!started) startedBy.set(socket, (started = new Map()));
          started.set(conversationId, { at: now, showing: true });
          relay(userId, conversationId, true, activity);
        } else if (!typing && last?.showing) {
          last.showing = false;
          if (now - last.at < TYPING_EXPIRES_MS) relay(userId, conversationId, false);
        }
        return {};
      },
    },
  };

  const stopTyping = (socket: ParleySocket): void => {
    const started = startedBy.get(socket);
    if (!started) return;
    startedBy.delete(socket);
    const now = Date.now();
    for (const [conversationId, { at, showing }] of started) {
      if (showing && now - at < TYPING_EXPIRES_MS) relay(socket.data.userId, conversationId, false);
    }
  };

  return { routes, stopTyping };
}
