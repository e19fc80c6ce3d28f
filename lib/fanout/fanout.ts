// Who hears about a write, and in what order: one function per kind of change, written against a
// small Broadcaster interface. The socket server runs them with its Socket.IO server; with Redis,
// the web app runs the same functions with a Redis Streams emitter (stream-emitter.ts), so a write
// made over HTTP is fanned out exactly as one made over the socket. One broadcast per room,
// never a loop over recipients.
import type { Settings } from "../schemas/user";
import type { MessageDto } from "../schemas/dto";
import type { ServerToClientEvents } from "../realtime/events";
import type { InternalEvent } from "./internal-events";
import { conversationRoom, EVERYONE_ROOM, RECEIPTS_OFF_ROOM, RECEIPTS_ON_ROOM, TOKEN_SOCKETS_ROOM, tokenRoom, userRoom } from "../realtime/rooms";

type Rooms = string | string[];

/** The part of Socket.IO's BroadcastOperator that fan-out uses. */
export interface Target {
  except(rooms: Rooms): Target;
  emit<E extends keyof ServerToClientEvents>(event: E, ...args: Parameters<ServerToClientEvents[E]>): unknown;
  socketsJoin(rooms: Rooms): unknown;
  socketsLeave(rooms: Rooms): unknown;
  disconnectSockets(close?: boolean): unknown;
}

export interface Broadcaster {
  to(rooms: Rooms): Target;
  /** A conversation was created or gained members: they learn each other's presence. */
  announceMembers(conversationId: string, memberIds: string[]): void;
}

type GroupChange = Extract<InternalEvent, { type: "conversation:updated" }>;
type Receipt = Omit<Extract<InternalEvent, { type: "receipt" }>, "type">;

/**
 * A change of a group's name or members, in an order that keeps it tight: removed members'
 * sockets leave the room before anything more is said in it, added members' sockets join before
 * the record of their addition, so each hears exactly what happens while they belong. (Every
 * socket server notes the leave as a removal: socket-server/membership-changes.ts.)
 */
export function broadcastGroupChange(io: Broadcaster, change: Omit<GroupChange, "type">): void {
  const room = conversationRoom(change.conversation.id);
  if (change.removedUserIds.length > 0) {
    const removedRooms = change.removedUserIds.map(userRoom);
    io.to(removedRooms).socketsLeave(room);
    io.to(removedRooms).emit("conversation:removed", { conversationId: change.conversation.id });
  }
  for (const { userId, conversation } of change.added) {
    io.to(userRoom(userId)).socketsJoin(room);
    io.to(userRoom(userId)).emit("conversation:created", { conversation });
  }
  // Added members already have the whole conversation; the others get the new name and members.
  const addedRooms = change.added.map(({ userId }) => userRoom(userId));
  io.to(room).except(addedRooms).emit("conversation:updated", { conversation: change.conversation });
  if (change.message) io.to(room).emit("message:created", { message: change.message });
  if (change.added.length > 0) {
    // A large room's change names only who joined: the room learns their presence.
    const delta = change.conversation.memberDelta;
    io.announceMembers(change.conversation.id, (delta ? delta.added : change.conversation.members).map((m) => m.id));
  }
  if (change.conversation.kind === "room") announceRoomChange(io, change);
}

/** Rooms: the people who joined or left hear it on all their tabs, and the directory on every socket hears the room as it now is (one broadcast). */
function announceRoomChange(io: Broadcaster, change: Omit<GroupChange, "type">): void {
  const conversationId = change.conversation.id;
  if (change.added.length > 0) io.to(change.added.map(({ userId }) => userRoom(userId))).emit("room:joined", { conversationId });
  if (change.removedUserIds.length > 0) io.to(change.removedUserIds.map(userRoom)).emit("room:left", { conversationId });
  if (change.room) io.to(EVERYONE_ROOM).emit("room:updated", { room: change.room });
}

/** A new room: its creator's sockets join it, and a listed one appears in every directory at once. */
export function broadcastRoomCreated(io: Broadcaster, { room, conversation, memberIds }: Omit<Extract<InternalEvent, { type: "room:created" }>, "type">): void {
  fanOut(io, { type: "conversation:created", conversation, memberIds });
  if (room.listed) io.to(EVERYONE_ROOM).emit("room:created", { room });
}

/**
 * A changed message to whoever may see the change: the room, or for a delete for me the member's
 * own sockets only (their other tabs and devices), so no one else learns who hid what.
 */
export function broadcastMessageUpdate(io: Broadcaster, { message, userId }: { message: MessageDto; userId: string | null }): void {
  io.to(userId === null ? conversationRoom(message.conversationId) : userRoom(userId)).emit("message:updated", { message });
}

/**
 * To the conversation's room: the other members see their ticks, and the member's own other tabs
 * see their read (and clear their unread badge). Read receipts off works both ways: a member who
 * turned them off shows the others only their delivered watermark (their own sockets still hear
 * the full one), and hears only delivered from everyone else.
 */
export function broadcastReceipt(io: Broadcaster, { conversationId, userId, deliveredSeq, readSeq, hideRead }: Receipt): void {
  const full = { conversationId, userId, deliveredSeq, readSeq };
  const hidden = { ...full, readSeq: 0 };
  const others = io.to(conversationRoom(conversationId)).except(userRoom(userId));
  io.to(userRoom(userId)).emit("receipt", full);
  if (hideRead) return void others.emit("receipt", hidden);
  others.except(RECEIPTS_OFF_ROOM).emit("receipt", full);
  others.except(RECEIPTS_ON_ROOM).emit("receipt", hidden);
}

/** A user's settings changed: their other tabs hear it, and their sockets move between the receipts rooms. */
export function applySettings(io: Broadcaster, userId: string, settings: Settings): void {
  const sockets = io.to(userRoom(userId));
  sockets.socketsLeave(settings.readReceipts ? RECEIPTS_OFF_ROOM : RECEIPTS_ON_ROOM);
  sockets.socketsJoin(settings.readReceipts ? RECEIPTS_ON_ROOM : RECEIPTS_OFF_ROOM);
  io.to(userRoom(userId)).emit("settings:updated", { settings });
}

/** Fans out one write announced by the web app; the same broadcasts a socket write makes. */
export function fanOut(io: Broadcaster, event: InternalEvent): void {
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
      io.to(rooms).socketsJoin(conversationRoom(event.conversation.id));
      io.to(rooms).emit("conversation:created", { conversation: event.conversation });
      io.announceMembers(event.conversation.id, event.memberIds);
      return;
    }
    case "user:signed-out":
      // Every session of the account ended: its sockets close now, and their tokens no longer open
      // new ones. Personal access tokens are not sessions: their sockets stay.
      io.to(userRoom(event.userId)).except(TOKEN_SOCKETS_ROOM).disconnectSockets(true);
      return;
    case "token:revoked":
      io.to(tokenRoom(event.tokenId)).disconnectSockets(true);
      return;
    case "receipt":
      broadcastReceipt(io, event);
      return;
    case "conversation:muted":
      io.to(userRoom(event.userId)).emit("conversation:muted", { conversationId: event.conversationId, muted: event.muted });
      return;
    case "user:updated":
      // One emit to the union of the rooms: a socket in several of them hears it once.
      io.to([userRoom(event.user.id), ...event.conversationIds.map(conversationRoom)]).emit("user:updated", { user: event.user });
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
      return;
    case "room:created":
      broadcastRoomCreated(io, event);
      return;
  }
}
