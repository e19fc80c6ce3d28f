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
  /**
   * Counts one more socket for the user; true when they were offline (not online, not leaving): announce them online.
   * `visible`: its tab is in view (the handshake says so), which makes the user attending (below).
   */
  add(userId: string, socketId: string, visible?: boolean): Promise<boolean>;
  /** Forgets one socket; true when it was the user's last: they are leaving since `at`. */
  remove(userId: string, socketId: string, at: Date): Promise<boolean>;
  /** The socket's tab came into view or left it; a socket not counted (closed meanwhile) is ignored. */
  setVisible(userId: string, socketId: string, visible: boolean): Promise<void>;
  /** Which of these users have a socket whose tab is in view: they see new messages as they come, so no push goes to them. */
  attending(userIds: readonly string[]): Promise<Set<string>>;
  /** The grace period of the departure at `at` ended: true when they are still gone (announce them offline), and forgets it. */
  settle(userId: string, at: Date): Promise<boolean>;
  /** Which of these users have a socket open or are leaving. */
  online(userIds: readonly string[]): Promise<Set<string>>;
}

/** One socket server's sockets: enough for one instance. */
export class MemoryPresenceStore implements PresenceStore {
  private readonly sockets = new Map<string, Set<string>>();
  private readonly leaving = new Map<string, number>();
  private readonly visible = new Map<string, Set<string>>();

  async add(userId: string, socketId: string, visible = false): Promise<boolean> {
    const mine = this.sockets.get(userId) ?? new Set<string>();
    const wasOffline = mine.size === 0 && !this.leaving.has(userId);
    this.leaving.delete(userId);
    mine.add(socketId);
    this.sockets.set(userId, mine);
    if (visible) await this.setVisible(userId, socketId, true);
    return wasOffline;
  }

  async setVisible(userId: string, socketId: string, visible: boolean): Promise<void> {
    const shown = this.visible.get(userId) ?? new Set<string>();
    if (visible && this.sockets.get(userId)?.has(socketId)) shown.add(socketId);
    else shown.delete(socketId);
    if (shown.size > 0) this.visible.set(userId, shown);
    else this.visible.delete(userId);
  }

  async attending(userIds: readonly string[]): Promise<Set<string>> {
    return new Set(userIds.filter((id) => this.visible.has(id)));
  }

  async remove(userId: string, socketId: string, at: Date): Promise<boolean> {
    await this.setVisible(userId, socketId, false);
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
