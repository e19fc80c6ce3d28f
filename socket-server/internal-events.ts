import type { IncomingMessage, ServerResponse } from "node:http";
import { internalEventSchema, type InternalEvent } from "../lib/realtime/internal-events";
import { broadcastGroupChange } from "./handlers/conversations";
import { broadcastMessageUpdate } from "./handlers/message-changes";
import { applySettings, broadcastReceipt } from "./handlers/receipts";
import { hasInternalSecret, readBody } from "./internal-http";
import type { PresenceTracker } from "./presence/tracker";
import type { ParleyServer } from "./types";
import { conversationRoom, userRoom } from "./types";

const MAX_BODY = 256 * 1024;

export type Broadcaster = { io: ParleyServer; presence: PresenceTracker };

/** Fans out one write announced by the web app; the same broadcasts a socket write makes. */
export function broadcastInternalEvent({ io, presence }: Broadcaster, event: InternalEvent): void {
  switch (event.type) {
    case "message:created":
      io.to(conversationRoom(event.message.conversationId)).emit("message:created", { message: event.message });
      return;
    case "message:updated":
      broadcastMessageUpdate(io, event);
      return;
    case "conversation:created": {
      const rooms = event.memberIds.map(userRoom);
      // Members' live sockets start receiving the conversation's messages at once.
      io.in(rooms).socketsJoin(conversationRoom(event.conversation.id));
      io.to(rooms).emit("conversation:created", { conversation: event.conversation });
      void presence.announceMembers(event.conversation.id, event.memberIds);
      return;
    }
    case "user:signed-out":
      // Every session of the account ended: its sockets close now, and their tokens no longer open new ones.
      io.in(userRoom(event.userId)).disconnectSockets(true);
      return;
    case "receipt":
      broadcastReceipt(io, event);
      return;
    case "conversation:muted":
      io.to(userRoom(event.userId)).emit("conversation:muted", { conversationId: event.conversationId, muted: event.muted });
      return;
    case "settings:updated":
      applySettings(io, event.userId, { readReceipts: event.readReceipts });
      return;
    case "conversation:marked":
      // Private to the member: only their own sockets hear it.
      io.to(userRoom(event.userId)).emit("conversation:marked", { conversationId: event.conversationId, markedUnread: event.markedUnread });
      return;
    case "conversation:updated":
      broadcastGroupChange(io, event);
      if (event.added.length > 0) void presence.announceMembers(event.conversation.id, event.conversation.members.map((m) => m.id));
      return;
  }
}

export async function handleInternalEvent(
  broadcaster: Broadcaster,
  secret: string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const reply = (status: number, body: object) => {
    res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
  };
  if (!hasInternalSecret(req, secret)) return reply(401, { ok: false });
  const body = await readBody(req, MAX_BODY);
  if (body === null) return reply(413, { ok: false });
  let parsed;
  try {
    parsed = internalEventSchema.safeParse(JSON.parse(body));
  } catch {
    return reply(400, { ok: false });
  }
  if (!parsed.success) return reply(400, { ok: false });
  broadcastInternalEvent(broadcaster, parsed.data as InternalEvent);
  reply(202, { ok: true });
}
