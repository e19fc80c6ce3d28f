import { deleteMessage, editMessage, messageUpdateOf, pinMessage, reactToMessage } from "../../lib/chat";
import { broadcastMessageUpdate, type Broadcaster } from "../../lib/fanout/fanout";
import type { Route } from "./router";

const CHANGES = {
  "message:edit": editMessage,
  "message:delete": deleteMessage,
  "message:react": reactToMessage,
  "message:pin": pinMessage,
} as const;

export function messageChangeRoutes(io: Broadcaster): Record<string, Route> {
  const route = (change: (typeof CHANGES)[keyof typeof CHANGES]): Route => ({
    handle: async (socket, payload) => {
      const result = await change({ userId: socket.data.userId, input: payload });
      const update = messageUpdateOf(result);
      if (update) broadcastMessageUpdate(io, update);
      return { message: result.message };
    },
  });
  return Object.fromEntries(Object.entries(CHANGES).map(([event, change]) => [event, route(change)]));
}
