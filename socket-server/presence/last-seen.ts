// When offline contacts were last seen, kept briefly between presence snapshots. Connections
// that arrive together (a storm, a busy hour) share most of their contacts; reading each contact's
// time once per `ttlMs` instead of once per snapshot is most of a snapshot's database work.
//
// This process keeps its entries exact: the times it stores itself replace them (`stored`), and a
// contact found online loses theirs (their next time is later than any kept). What another socket
// server stores (with Redis, several run) is seen here after at most `ttlMs`.
import { lastSeenOf } from "../../lib/chat";

const TTL_MS = 10_000;
const MAX_ENTRIES = 50_000;

type Entry = { lastSeenAt: string | null; at: number };

export class LastSeenTimes {
  private readonly entries = new Map<string, Entry>();
  /** Moves whenever a kept time is replaced or dropped: a read that started before is not kept. */
  private changes = 0;

  constructor(private readonly options: { ttlMs?: number; maxEntries?: number; now?: () => number; read?: typeof lastSeenOf } = {}) {}

  /** Each user's last-seen time (null: never recorded); users with no account are absent. */
  async of(userIds: string[]): Promise<Map<string, string | null>> {
    const now = this.now();
    const ttl = this.options.ttlMs ?? TTL_MS;
    const found = new Map<string, string | null>();
    const missing: string[] = [];
    for (const id of new Set(userIds)) {
      const entry = this.entries.get(id);
      if (entry && now - entry.at < ttl) found.set(id, entry.lastSeenAt);
      else missing.push(id);
    }
    if (missing.length === 0) return found;
    const mark = this.changes;
    const read = await (this.options.read ?? lastSeenOf)({ userIds: missing });
    const keep = this.changes === mark;
    for (const { userId, lastSeenAt } of read) {
      found.set(userId, lastSeenAt);
      if (keep) this.keep(userId, lastSeenAt, now);
    }
    return found;
  }

  /** This process stored `at` for the user: it replaces what was kept. */
  stored(userId: string, at: Date): void {
    this.changes += 1;
    const kept = this.entries.get(userId)?.lastSeenAt;
    // Stored with $max: a late write of an earlier time changes nothing there, nor here.
    const latest = kept && kept > at.toISOString() ? kept : at.toISOString();
    this.keep(userId, latest, this.now());
  }

  /** Online now: whatever was kept is older than their next time. */
  forget(userIds: Iterable<string>): void {
    for (const id of userIds) {
      if (this.entries.delete(id)) this.changes += 1;
    }
  }

  private keep(userId: string, lastSeenAt: string | null, at: number): void {
    this.entries.delete(userId);
    this.entries.set(userId, { lastSeenAt, at });
    const max = this.options.maxEntries ?? MAX_ENTRIES;
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= max) break;
      this.entries.delete(oldest);
    }
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }
}
