// Who has a connection open, counted per socket so that a user is online while any of their tabs
// (or devices) is, and who is "leaving": their last socket closed less than the grace period ago,
// so they still count as online (a reload or a brief drop shows nothing). The bookkeeping sits
// behind this interface because with several socket servers each instance sees only its own
// sockets: RedisPresenceStore (redis-store.ts) keeps it in Redis for all of them, and takes this
// in-memory store's place without touching the tracker. Methods are async for that reason.
//
// The in-memory store answers within the same tick (its promises resolve as microtasks), so the
// tracker's reads and announcements cannot interleave; a shared store may answer late, and the
// tracker's `recent` map (tracker.ts) is what keeps a snapshot from undoing a newer announcement.

export interface PresenceStore {
  /** Counts one more socket for the user; true when they were offline (not online, not leaving): announce them online. */
  add(userId: string, socketId: string): Promise<boolean>;
  /** Forgets one socket; true when it was the user's last: they are leaving since `at`. */
  remove(userId: string, socketId: string, at: Date): Promise<boolean>;
  /** The grace period of the departure at `at` ended: true when they are still gone (announce them offline), and forgets it. */
  settle(userId: string, at: Date): Promise<boolean>;
  /** Which of these users have a socket open or are leaving. */
  online(userIds: readonly string[]): Promise<Set<string>>;
}

/** One socket server's sockets: enough for one instance. */
export class MemoryPresenceStore implements PresenceStore {
  private readonly sockets = new Map<string, Set<string>>();
  private readonly leaving = new Map<string, number>();

  async add(userId: string, socketId: string): Promise<boolean> {
    const mine = this.sockets.get(userId) ?? new Set<string>();
    const wasOffline = mine.size === 0 && !this.leaving.has(userId);
    this.leaving.delete(userId);
    mine.add(socketId);
    this.sockets.set(userId, mine);
    return wasOffline;
  }

  async remove(userId: string, socketId: string, at: Date): Promise<boolean> {
    const mine = this.sockets.get(userId);
    // Removing a socket twice, or one never added, is not a last disconnect.
    if (!mine?.delete(socketId)) return false;
    if (mine.size > 0) return false;
    this.sockets.delete(userId);
    this.leaving.set(userId, at.getTime());
    return true;
  }

  async settle(userId: string, at: Date): Promise<boolean> {
    if (this.leaving.get(userId) !== at.getTime() || this.sockets.has(userId)) return false;
    this.leaving.delete(userId);
    return true;
  }

  async online(userIds: readonly string[]): Promise<Set<string>> {
    return new Set(userIds.filter((id) => this.sockets.has(id) || this.leaving.has(id)));
  }
}
