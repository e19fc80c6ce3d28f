import type { InternalEvent } from "../../lib/realtime/internal-events";
import { noteRemoval } from "../membership-changes";
import type { ParleyServer } from "../types";
import { conversationRoom, userRoom } from "../types";

type GroupChangeEvent = Extract<InternalEvent, { type: "conversation:updated" }>;

/**
 * Fans out a change of a group's name or members, in an order that keeps it tight: removed
 * members' sockets leave the room before anything more is said in it, added members' sockets
 * join before the record of their addition, so each hears exactly what happens while they belong.
 */
export function broadcastGroupChange(io: ParleyServer, change: GroupChangeEvent): void {
  const room = conversationRoom(change.conversation.id);
  if (change.removedUserIds.length > 0) {
    const removedRooms = change.removedUserIds.map(userRoom);
    io.in(removedRooms).socketsLeave(room);
    noteRemoval();
    io.to(removedRooms).emit("conversation:removed", { conversationId: change.conversation.id });
  }
  for (const { userId, conversation } of change.added) {
    io.in(userRoom(userId)).socketsJoin(room);
    io.to(userRoom(userId)).emit("conversation:created", { conversation });
  }
  // Added members already have the whole conversation; the others get the new name and members.
  const addedRooms = change.added.map(({ userId }) => userRoom(userId));
  io.to(room).except(addedRooms).emit("conversation:updated", { conversation: change.conversation });
  if (change.message) io.to(room).emit("message:created", { message: change.message });
}
