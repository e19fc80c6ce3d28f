// Connection state recovery, with the replay of missed broadcasts held back until the
// authentication middleware has passed.
//
// Socket.IO 4.8 writes a restored session's missed packets to the wire the moment it restores
// the session, before any middleware runs (Socket constructor). With skipMiddlewares: false a
// client whose token is bad is refused, but it has already been sent up to two minutes of the
// user's broadcasts; socket.io-client buffers them, and emits them (a second time) if a later
// attempt succeeds. So the adapter's restore keeps them aside, and the connection handler, which
// only runs for an authenticated socket, sends them.
import { Adapter, SessionAwareAdapter } from "socket.io-adapter";
import type { ParleyServer, ParleySocket } from "./types";

type NamespaceAdapter = ParleyServer["sockets"]["adapter"];
type Packet = Awaited<ReturnType<NamespaceAdapter["restoreSession"]>>["missedPackets"][number];

// Keyed by the restored session's data object, which becomes `socket.data`: a refused socket
// takes its held packets with it when it is dropped.
const held = new WeakMap<object, Packet[]>();

/** Wraps the adapter's restore (in memory or Redis alike) so that it restores rooms and data, and holds the packets. */
export function holdReplayUntilAuthenticated(io: ParleyServer): void {
  const adapter: NamespaceAdapter = io.of("/").adapter;
  const restore = adapter.restoreSession.bind(adapter);
  adapter.restoreSession = async (pid, offset) => {
    const session = await restore(pid, offset);
    if (!session || session.missedPackets.length === 0) return session;
    const data = { ...(session.data as object) };
    held.set(data, session.missedPackets);
    return { ...session, data, missedPackets: [] };
  };
}

/** Sent afresh on every connection, so never replayed (see replayMissedPackets) and not worth keeping for it. */
const NOT_REPLAYED = new Set(["presence", "presence:snapshot"]);

/**
 * Keeps presence out of the in-memory adapter's recovery log. With recovery on, Socket.IO keeps
 * every packet sent — to a room or to one socket — for the whole recovery window, and a
 * connection's presence snapshot lists all its contacts: a thousand members of one group
 * connecting kept ~70 MB of snapshots that no replay would ever send. Other packets are kept as
 * before. (With Redis the log is the adapter's stream, bounded by its own length.)
 */
export function keepPresenceOutOfRecovery(io: ParleyServer): void {
  const adapter: NamespaceAdapter = io.of("/").adapter;
  if (!(adapter instanceof SessionAwareAdapter)) return;
  const broadcast = adapter.broadcast.bind(adapter);
  const sendOnly = Adapter.prototype.broadcast;
  adapter.broadcast = (packet, opts) => {
    const event = (packet as { data?: unknown[] }).data?.[0];
    if (typeof event === "string" && NOT_REPLAYED.has(event)) return sendOnly.call(adapter, packet, opts);
    return broadcast(packet, opts);
  };
}

/** The conversation a broadcast belongs to, when it belongs to one ("conversation:removed" tells about one the user left). */
function conversationOf(event: string, payload: unknown): string | undefined {
  if (event === "conversation:removed" || typeof payload !== "object" || payload === null) return undefined;
  const p = payload as { conversationId?: string; message?: { conversationId?: string }; conversation?: { id?: string } };
  return p.conversationId ?? p.message?.conversationId ?? p.conversation?.id;
}

/**
 * Sends a recovered socket the broadcasts it missed, except those of conversations it is no
 * longer a member of: the stored session still lists the rooms it had when it dropped, and a
 * member removed while away must not get what was said after that. Call first thing in the
 * connection handler, with the memberships the middleware loaded.
 */
export function replayMissedPackets(socket: ParleySocket, conversationIds: string[]): void {
  const packets = held.get(socket.data);
  if (!packets) return;
  held.delete(socket.data);
  const current = new Set(conversationIds);
  const emit = socket.emit.bind(socket) as (event: string, ...args: unknown[]) => boolean;
  for (const packet of packets) {
    // A stored packet is [event, ...args, offset]. Emitting it again stores it under a new
    // offset, which is the one the client resumes from next time.
    const [event, ...args] = packet as [string, ...unknown[]];
    args.pop();
    // Presence is sent afresh on every connection; an old announcement could also be about someone
    // this user no longer shares a conversation with.
    if (NOT_REPLAYED.has(event)) continue;
    const conversationId = conversationOf(event, args[0]);
    if (conversationId !== undefined && !current.has(conversationId)) continue;
    emit(event, ...args);
  }
}
