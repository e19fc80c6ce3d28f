// Who has a connection open, counted per socket so that a user is online while any of their tabs
// (or devices) is. The bookkeeping sits behind this small interface because with several socket
// servers (Redis, issue 6) each instance sees only its own sockets: a Redis-backed store keeps one
// set per user shared by every instance (members tagged with the instance, dropped when an
// instance stops renewing its heartbeat, so a crashed instance's users do not stay online), and
// replaces MemoryPresenceStore without touching the tracker. Methods are async for that reason.
//
// The in-memory store answers within the same tick (its promises resolve as microtasks), so the
// tracker's reads and announcements cannot interleave; a shared store may answer late, and the
// tracker's `recent` map (tracker.ts) is what keeps a snapshot from undoing a newer announcement.

export interface PresenceStore {
  /** Counts one more socket for the user; true when it is their first (they just came online). */
  add(userId: string, socketId: string): Promise<boolean>;
  /** Forgets one socket; true when it was the user's last (they have no connection left). */
  remove(userId: string, socketId: string): Promise<boolean>;
  /** Which of these users have at least one socket open. */
  online(userIds: readonly string[]): Promise<Set<string>>;
}

/** One socket server's sockets: enough for one instance, as the project runs today. */
export class MemoryPresenceStore implements PresenceStore {
  private readonly sockets = new Map<string, Set<string>>();

  async add(userId: string, socketId: string): Promise<boolean> {
    const mine = this.sockets.get(userId) ?? new Set<string>();
    const first = mine.size === 0;
    mine.add(socketId);
    this.sockets.set(userId, mine);
    return first;
  }

  async remove(userId: string, socketId: string): Promise<boolean> {
    const mine = this.sockets.get(userId);
    // Removing a socket twice, or one never added, is not a last disconnect.
    if (!mine?.delete(socketId)) return false;
    if (mine.size > 0) return false;
    this.sockets.delete(userId);
    return true;
  }

  async online(userIds: readonly string[]): Promise<Set<string>> {
    return new Set(userIds.filter((id) => this.sockets.has(id)));
  }
}
