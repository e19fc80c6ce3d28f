// Presence: online while any of a user's sockets is open, announced to the people who share a
// conversation with them (their conversations' rooms, which is exactly that set), and "last
// seen" stored when the last one closes. A short grace period hides reloads and brief drops:
// a user whose last socket closed and who is back within it was never announced offline.
import { contactsAmong, lastSeenOf, listConversationIds, recordLastSeen, type LastSeen } from "../../lib/chat";
import { toAppError } from "../../lib/errors";
import type { PresenceDto } from "../../lib/schemas/dto";
import type { ParleyServer, ParleySocket } from "../types";
import { conversationRoom, userRoom } from "../types";
import { Coalescer } from "../middleware/coalescer";
import { LastSeenTimes } from "./last-seen";
import { compact } from "./compact";
import { ConversationMembers } from "./members";
import type { PresenceStore } from "./store";

// Longer than any snapshot takes to read (database operations give up after about 2 s).
const RECENT_MS = 30_000;

// Presence changes to a room with more than LARGE_ROOM of this instance's sockets go out together,
// at most one frame per PRESENCE_BATCH_MS: one announcement per member to every member is n² frames,
// and a thousand-member group coming back after a restart would take seconds of the server's time.
// Smaller rooms hear each change at once.
const LARGE_ROOM = 64;
const PRESENCE_BATCH_MS = 1_000;

// A connection's snapshot leaves out the members of its groups of more than LARGE_ROOM people:
// those go to every socket that asked within GROUP_SNAPSHOT_MS as one frame per group, built and
// encoded once. Otherwise a thousand members of one group coming back after a restart each got
// their own list of the other thousand: a million entries built, encoded and sent, which took
// about a fifth of the server's time in the bench's reconnect storm.
const GROUP_SNAPSHOT_MS = 250;

// Snapshots of connections set up together are read together (coalescer.ts): their conversations'
// members in one pass, then the last-seen times of those contacts who are offline. A snapshot is
// sent after the connection, so it may wait longer than a set-up for its turn, and under load a
// batch that is not full leaves at most every 100 ms.
const SNAPSHOTS = { maxBatch: 20, inFlight: 2, maxWaitMs: 60_000, gapMs: 100 };

type Viewer = { socket: ParleySocket; conversationIds: string[] };
/** A contact as the database and the store saw them when the snapshot was read. */
type Seen = { userId: string; online: boolean; lastSeenAt: string | null };

type Pending = { timer: ReturnType<typeof setTimeout>; at: Date; rooms: string[] };

export class PresenceTracker {
  /** Users whose last socket closed, within the grace period: not announced offline (yet). */
  private readonly pending = new Map<string, Pending>();
  /** What this process last announced per user, for RECENT_MS, oldest first: newer than any read a snapshot started before it. */
  private readonly recent = new Map<string, { presence: PresenceDto; at: number }>();
  /** One user's connects and disconnects apply in the order they happened, even through an async store. */
  private readonly queues = new Map<string, Promise<void>>();
  private readonly snapshots = new Coalescer((viewers: Viewer[]) => this.readSnapshots(viewers), SNAPSHOTS);
  private readonly members = new ConversationMembers();
  private readonly lastSeen = new LastSeenTimes();
  /** Large rooms' changes waiting for the next batch: room → user → their newest presence. */
  private readonly batches = new Map<string, Map<string, PresenceDto>>();
  private batchTimer: ReturnType<typeof setTimeout> | null = null;
  /** Large groups whose snapshot is waiting to go out, and the sockets it goes to. */
  private readonly groupSnapshots = new Map<string, Set<ParleySocket>>();
  private groupSnapshotTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly io: ParleyServer,
    private readonly options: { store: PresenceStore; graceMs: number },
  ) {}

  /** Call from the connection handler once the socket has joined its conversations' rooms, and `untrack` when it is disconnecting. */
  track(socket: ParleySocket, conversationIds: string[]): void {
    const { userId, visible = false } = socket.data;
    const socketId = socket.id;
    this.queue(userId, () => this.connected(userId, socketId, conversationIds.map(conversationRoom), visible));
    void this.sendSnapshot(socket, conversationIds);
  }

  /** The socket's tab came into view or left it (in order with its connect and disconnect). */
  setVisible(socket: ParleySocket, visible: boolean): void {
    const { userId } = socket.data;
    socket.data.visible = visible;
    const socketId = socket.id;
    this.queue(userId, () => this.options.store.setVisible(userId, socketId, visible));
  }

  /** While it is disconnecting the socket still lists its rooms: the people to tell if it was the last. */
  untrack(socket: ParleySocket): void {
    const { userId } = socket.data;
    const socketId = socket.id;
    const rooms = [...socket.rooms].filter((room) => room.startsWith(conversationRoom("")));
    this.queue(userId, () => this.disconnected(userId, socketId, rooms));
  }

  /**
   * A conversation was created or gained a member: its members learn each other's presence. `local`:
   * to this instance's sockets only (every instance was asked, see lib/fanout/stream-emitter.ts).
   */
  async announceMembers(conversationId: string, memberIds: string[], { local = false } = {}): Promise<void> {
    try {
      const io = local ? this.io.local : this.io;
      const room = io.to(conversationRoom(conversationId));
      // A large group, as its snapshots: who is online, by id; a join costs no last-seen read of every member.
      if (memberIds.length > LARGE_ROOM) return void room.emit("presence:snapshot", { users: [], online: await this.onlineAmong(memberIds) });
      const lastSeen = await lastSeenOf({ userIds: memberIds });
      await this.sendPresence(lastSeen, (users) => room.emit("presence:snapshot", { users }));
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
    this.members.close();
    if (this.batchTimer) clearTimeout(this.batchTimer);
    if (this.groupSnapshotTimer) clearTimeout(this.groupSnapshotTimer);
    this.groupSnapshots.clear();
    this.sendBatches();
    const pending = [...this.pending.entries()];
    this.pending.clear();
    for (const [, { timer }] of pending) clearTimeout(timer);
    await Promise.all(pending.map(([userId, { at }]) => this.store(userId, at)));
  }

  private async connected(userId: string, socketId: string, rooms: string[], visible: boolean): Promise<void> {
    const wasOffline = await this.options.store.add(userId, socketId, visible);
    // Back within the grace period: the store forgot the departure, so the timer's settle finds nothing.
    const pending = this.pending.get(userId);
    if (pending) clearTimeout(pending.timer);
    this.pending.delete(userId);
    this.lastSeen.forget([userId]);
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
    this.lastSeen.stored(userId, at);
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
    const direct: string[] = [];
    for (const room of rooms) {
      const batch = this.batches.get(room);
      // A batch waiting for this room holds the newest presence of each user in it, whatever is sent meanwhile.
      if (batch) batch.set(presence.userId, presence);
      else if ((this.io.of("/").adapter.rooms.get(room)?.size ?? 0) > LARGE_ROOM) this.batches.set(room, new Map([[presence.userId, presence]]));
      else direct.push(room);
    }
    // The user's own tabs need not hear it; nobody outside their conversations does.
    if (direct.length > 0) this.io.to(direct).except(userRoom(presence.userId)).emit("presence", presence);
    if (this.batches.size > 0 && !this.batchTimer) this.batchTimer = setTimeout(() => this.sendBatches(), PRESENCE_BATCH_MS);
  }

  /**
   * Each large room's waiting changes, one frame per room: the newest presence of each who changed,
   * those online by id alone (compact.ts), those offline with when they were last seen.
   */
  private sendBatches(): void {
    this.batchTimer = null;
    const batches = [...this.batches];
    this.batches.clear();
    for (const [room, users] of batches) this.io.to(room).emit("presence:snapshot", compact([...users.values()]));
  }

  /**
   * Sends the presence of these users as it stands: what this process announced last, else the
   * store and the database. Computed and sent in one step, after the reads, so nothing announced
   * later can reach a client before it and be undone by it.
   */
  private async sendPresence(lastSeen: LastSeen[], send: (users: PresenceDto[]) => void): Promise<void> {
    const online = await this.options.store.online(lastSeen.map((entry) => entry.userId));
    send(this.asAnnounced(lastSeen.map(({ userId, lastSeenAt }) => ({ userId, online: online.has(userId), lastSeenAt }))));
  }

  /** What was read, with anything this process announced since in its place. */
  private asAnnounced(seen: Seen[]): PresenceDto[] {
    return seen.map(({ userId, online, lastSeenAt }) => {
      const announced = this.recent.get(userId)?.presence;
      if (announced) return announced;
      return online ? { userId, online: true, lastSeenAt: null } : { userId, online: false, lastSeenAt };
    });
  }

  private async sendSnapshot(socket: ParleySocket, conversationIds: string[]): Promise<void> {
    try {
      const seen = await this.snapshots.load({ socket, conversationIds });
      if (socket.connected) socket.emit("presence:snapshot", { users: this.asAnnounced(seen) });
    } catch (error) {
      // Without it the client shows no presence for its contacts until it reconnects.
      toAppError(error, `presence snapshot user=${socket.data.userId}`);
    }
  }

  /** The contacts of these connections, each online or with when they were last seen; offline contacts' times read once for all. */
  private async readSnapshots(viewers: Viewer[]): Promise<Seen[][]> {
    // Gone while waiting for their turn: nobody to send it to.
    const live = viewers.filter((viewer) => viewer.socket.connected);
    const members = await this.members.of(live.flatMap((viewer) => viewer.conversationIds));
    const contacts = viewers.map(({ socket, conversationIds }) => {
      if (!socket.connected) return [];
      const { userId } = socket.data;
      const small = conversationIds.filter((id) => {
        const memberIds = members.get(id) ?? [];
        if (memberIds.length <= LARGE_ROOM) return true;
        // Only a member hears about a group, as contactsAmong would decide.
        if (memberIds.includes(userId)) this.awaitGroupSnapshot(id, socket);
        return false;
      });
      return contactsAmong(members, { userId, conversationIds: small });
    });
    return this.seenOf(contacts);
  }

  /** Each list of users as they are seen now: online, or when last seen; offline contacts' times read once for all. */
  private async seenOf(lists: string[][]): Promise<Seen[][]> {
    const everyone = [...new Set(lists.flat())];
    const online = await this.options.store.online(everyone);
    this.lastSeen.forget(online);
    const lastSeen = await this.lastSeen.of(everyone.filter((id) => !online.has(id)));
    // A contact neither online nor found has no account any more: left out, as a lookup by id would.
    return lists.map((ids) =>
      ids.flatMap((userId): Seen[] => (online.has(userId) ? [{ userId, online: true, lastSeenAt: null }] : lastSeen.has(userId) ? [{ userId, online: false, lastSeenAt: lastSeen.get(userId) ?? null }] : [])),
    );
  }

  /** Those of these users who are online now, as this process last announced them or else as the store has them. */
  private async onlineAmong(userIds: string[]): Promise<string[]> {
    const online = await this.options.store.online(userIds);
    return userIds.filter((userId) => this.recent.get(userId)?.presence.online ?? online.has(userId));
  }

  private awaitGroupSnapshot(conversationId: string, socket: ParleySocket): void {
    const waiting = this.groupSnapshots.get(conversationId);
    if (waiting) waiting.add(socket);
    else this.groupSnapshots.set(conversationId, new Set([socket]));
    this.groupSnapshotTimer ??= setTimeout(() => void this.sendGroupSnapshots(), GROUP_SNAPSHOT_MS);
  }

  /**
   * Each waiting group's online members as they are now, by id, in one frame to the sockets that
   * asked for it (their own id included: clients leave themselves out). Offline members are left
   * out, and their last-seen times are not read: in a group this large nobody is shown one (a
   * direct conversation, always small, tells it). Read, then computed and sent in one step, like
   * every snapshot.
   */
  private async sendGroupSnapshots(): Promise<void> {
    this.groupSnapshotTimer = null;
    const groups = [...this.groupSnapshots];
    this.groupSnapshots.clear();
    for (const [conversationId, sockets] of groups) {
      try {
        const memberIds = (await this.members.of([conversationId])).get(conversationId) ?? [];
        // Still connected, and still a member (one removed meanwhile hears nothing more of the group).
        const members = new Set(memberIds);
        const to = [...sockets].filter((socket) => socket.connected && members.has(socket.data.userId)).map((socket) => socket.id);
        if (to.length === 0) continue;
        const online = await this.onlineAmong(memberIds);
        this.io.local.to(to).emit("presence:snapshot", { users: [], online });
      } catch (error) {
        // Those members' presence shows from their next change, or the next connection.
        toAppError(error, `presence group snapshot conversation=${conversationId}`);
      }
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
