// Presence: online while any of a user's sockets is open, announced to the people who share a
// conversation with them (their conversations' rooms, which is exactly that set), and "last
// seen" stored when the last one closes. A short grace period hides reloads and brief drops:
// a user whose last socket closed and who is back within it was never announced offline.
import { lastSeenOf, listContacts, listConversationIds, recordLastSeen, type LastSeen } from "../../lib/chat";
import { toAppError } from "../../lib/errors";
import type { PresenceDto } from "../../lib/schemas/dto";
import type { ParleyServer, ParleySocket } from "../types";
import { conversationRoom, userRoom } from "../types";
import type { Gate } from "../middleware/gate";
import type { PresenceStore } from "./store";

// Longer than any snapshot takes to read (database operations give up after about 2 s).
const RECENT_MS = 30_000;

type Pending = { timer: ReturnType<typeof setTimeout>; at: Date; rooms: string[] };

export class PresenceTracker {
  /** Users whose last socket closed, within the grace period: not announced offline (yet). */
  private readonly pending = new Map<string, Pending>();
  /** What this process last announced per user, for RECENT_MS, oldest first: newer than any read a snapshot started before it. */
  private readonly recent = new Map<string, { presence: PresenceDto; at: number }>();
  /** One user's connects and disconnects apply in the order they happened, even through an async store. */
  private readonly queues = new Map<string, Promise<void>>();

  constructor(
    private readonly io: ParleyServer,
    /** `gate`: bounds how many snapshots read the database at once (a reconnect storm sends hundreds). */
    private readonly options: { store: PresenceStore; graceMs: number; gate?: Gate },
  ) {}

  /** Call from the connection handler once the socket has joined its conversations' rooms. */
  track(socket: ParleySocket, conversationIds: string[]): void {
    const { userId } = socket.data;
    const socketId = socket.id;
    this.queue(userId, () => this.connected(userId, socketId, conversationIds.map(conversationRoom)));
    // While it is disconnecting the socket still lists its rooms: the people to tell if it was the last.
    socket.once("disconnecting", () => {
      const rooms = [...socket.rooms].filter((room) => room.startsWith(conversationRoom("")));
      this.queue(userId, () => this.disconnected(userId, socketId, rooms));
    });
    void this.sendSnapshot(socket, conversationIds);
  }

  /**
   * A conversation was created or gained a member: its members learn each other's presence. `local`:
   * to this instance's sockets only (every instance was asked, see lib/realtime/stream-emitter.ts).
   */
  async announceMembers(conversationId: string, memberIds: string[], { local = false } = {}): Promise<void> {
    try {
      const lastSeen = await lastSeenOf({ userIds: memberIds });
      const io = local ? this.io.local : this.io;
      await this.sendPresence(lastSeen, (users) => io.to(conversationRoom(conversationId)).emit("presence:snapshot", { users }));
    } catch (error) {
      // They see each other's presence after their next connection.
      toAppError(error, `presence members conversation=${conversationId}`);
    }
  }

  /**
   * Departures another instance started and could not finish (it stopped or crashed), settled by
   * the shared store's sweep: announced offline here, to the conversations the user is in now.
   */
  announceGone(userId: string, at: Date): void {
    this.queue(userId, async () => {
      const rooms = (await listConversationIds({ userId })).map(conversationRoom);
      this.announce({ userId, online: false, lastSeenAt: at.toISOString() }, rooms);
      await this.store(userId, at);
    });
  }

  /** At shutdown: whoever is within their grace period gets their last-seen time stored now. */
  async close(): Promise<void> {
    const pending = [...this.pending.entries()];
    this.pending.clear();
    for (const [, { timer }] of pending) clearTimeout(timer);
    await Promise.all(pending.map(([userId, { at }]) => this.store(userId, at)));
  }

  private async connected(userId: string, socketId: string, rooms: string[]): Promise<void> {
    const wasOffline = await this.options.store.add(userId, socketId);
    // Back within the grace period: the store forgot the departure, so the timer's settle finds nothing.
    const pending = this.pending.get(userId);
    if (pending) clearTimeout(pending.timer);
    this.pending.delete(userId);
    if (wasOffline) this.announce({ userId, online: true, lastSeenAt: null }, rooms);
  }

  private async disconnected(userId: string, socketId: string, rooms: string[]): Promise<void> {
    const at = new Date();
    if (!(await this.options.store.remove(userId, socketId, at))) return;
    const timer = setTimeout(() => this.queue(userId, () => this.wentOffline(userId, at, rooms)), this.options.graceMs);
    this.pending.set(userId, { timer, at, rooms });
  }

  private async wentOffline(userId: string, at: Date, rooms: string[]): Promise<void> {
    if (this.pending.get(userId)?.at === at) this.pending.delete(userId);
    // Back meanwhile (through any instance), or settled by another instance's sweep: nothing to say.
    if (!(await this.options.store.settle(userId, at))) return;
    this.announce({ userId, online: false, lastSeenAt: at.toISOString() }, rooms);
    await this.store(userId, at);
  }

  private async store(userId: string, at: Date): Promise<void> {
    // Best effort: the announcement carried the time; the stored one is for later snapshots.
    await recordLastSeen({ userId, at }).catch((error: unknown) => void toAppError(error, `presence last seen user=${userId}`));
  }

  private announce(presence: PresenceDto, rooms: string[]): void {
    const now = Date.now();
    this.recent.delete(presence.userId);
    this.recent.set(presence.userId, { presence, at: now });
    for (const [userId, { at }] of this.recent) {
      if (now - at < RECENT_MS) break;
      this.recent.delete(userId);
    }
    // The user's own tabs need not hear it; nobody outside their conversations does.
    if (rooms.length > 0) this.io.to(rooms).except(userRoom(presence.userId)).emit("presence", presence);
  }

  /**
   * Sends the presence of these users as it stands: what this process announced last, else the
   * store and the database. Computed and sent in one step, after the reads, so nothing announced
   * later can reach a client before it and be undone by it.
   */
  private async sendPresence(lastSeen: LastSeen[], send: (users: PresenceDto[]) => void): Promise<void> {
    const online = await this.options.store.online(lastSeen.map((entry) => entry.userId));
    send(
      lastSeen.map(({ userId, lastSeenAt }) => {
        const announced = this.recent.get(userId)?.presence;
        if (announced) return announced;
        return online.has(userId) ? { userId, online: true, lastSeenAt: null } : { userId, online: false, lastSeenAt };
      }),
    );
  }

  private async sendSnapshot(socket: ParleySocket, conversationIds: string[]): Promise<void> {
    const read = async () => {
      // Gone while waiting for its turn: nobody to send it to.
      if (!socket.connected) return;
      const contacts = await listContacts({ userId: socket.data.userId, conversationIds });
      await this.sendPresence(contacts, (users) => {
        if (socket.connected) socket.emit("presence:snapshot", { users });
      });
    };
    try {
      await (this.options.gate ? this.options.gate.run(read) : read());
    } catch (error) {
      // Without it the client shows no presence for its contacts until it reconnects.
      toAppError(error, `presence snapshot user=${socket.data.userId}`);
    }
  }

  private queue(userId: string, task: () => Promise<void>): void {
    const next = (this.queues.get(userId) ?? Promise.resolve()).then(task).catch((error: unknown) => void toAppError(error, `presence user=${userId}`));
    this.queues.set(userId, next);
    void next.then(() => {
      if (this.queues.get(userId) === next) this.queues.delete(userId);
    });
  }
}
