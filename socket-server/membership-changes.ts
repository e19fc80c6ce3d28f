// Removing a member and a socket joining rooms can race: the membership is deleted, then the
// socket servers are told and take the member's sockets out of the room; a socket whose rooms
// were looked up before the delete but that joins them after that announcement would keep the
// room. Every removal this process applies moves a counter; a join that started before the
// counter moved checks its memberships again and leaves what is no longer backed by one.
//
// "Applies" is the adapter taking sockets out of a conversation's room, whoever asked: this
// process (socketsLeave), another socket server or the web app's emitter (a SOCKETS_LEAVE message
// read from Redis). The counter moves in the same step that would have removed the socket, so
// with any number of instances a join either happens before it (and is undone by it) or sees it.
import type { Adapter } from "socket.io-adapter";
import { MessageType } from "socket.io-adapter";
import { conversationRoom } from "../lib/realtime/rooms";

let removals = 0;
const listeners = new Set<(conversationIds: string[]) => void>();

/**
 * Calls `listener` with the conversations whose rooms gained or lost sockets by a membership change
 * (a member added, removed or leaving; a conversation created), as the adapter applies it — this
 * process's, another instance's or the web app's. Rooms joined by a connecting socket are not a
 * change and are not reported. Returns the unsubscribe.
 */
export function onMembershipChange(listener: (conversationIds: string[]) => void): () => void {
  listeners.add(listener);
  return () => void listeners.delete(listener);
}

/** The conversations among these rooms, by id. */
function conversationsIn(rooms: Iterable<string>): string[] {
  const prefix = conversationRoom("");
  return [...rooms].filter((room) => room.startsWith(prefix)).map((room) => room.slice(prefix.length));
}

/** A join or leave of these rooms was applied: a leave of a conversation's room is a removal, and either is a change. */
function applied(rooms: Iterable<string>, { leave }: { leave: boolean }): void {
  const ids = conversationsIn(rooms);
  if (ids.length === 0) return;
  if (leave) noteRemoval();
  for (const listener of listeners) listener(ids);
}

export function noteRemoval(): void {
  removals += 1;
}

/** A mark to compare with later: has any removal been applied since? */
export function removalMark(): number {
  return removals;
}

export function removedSince(mark: number): boolean {
  return removals !== mark;
}


type ClusterMessage = { type: number; data?: { rooms?: string[] } };
type WithClusterMessages = { onMessage?: (message: ClusterMessage, offset?: string) => void };

/** Makes every removal from a conversation room that reaches this adapter move the counter, and reports every change to the listeners. */
export function watchRemovals(adapter: Adapter): void {
  const delSockets = adapter.delSockets.bind(adapter);
  adapter.delSockets = (opts, rooms) => {
    applied(rooms, { leave: true });
    return delSockets(opts, rooms);
  };
  const addSockets = adapter.addSockets.bind(adapter);
  adapter.addSockets = (opts, rooms) => {
    applied(rooms, { leave: false });
    return addSockets(opts, rooms);
  };
  // A cluster adapter (Redis) applies other instances' joins and removals in onMessage, not via addSockets/delSockets.
  const cluster = adapter as unknown as WithClusterMessages;
  const onMessage = cluster.onMessage?.bind(adapter);
  if (!onMessage) return;
  cluster.onMessage = (message, offset) => {
    if (message.type === MessageType.SOCKETS_LEAVE || message.type === MessageType.SOCKETS_JOIN) {
      applied(message.data?.rooms ?? [], { leave: message.type === MessageType.SOCKETS_LEAVE });
    }
    onMessage(message, offset);
  };
}
