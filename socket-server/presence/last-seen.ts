// When offline contacts were last seen, kept briefly between presence snapshots. Connections
// that arrive together (a storm, a busy hour) share most of their contacts; reading each contact's
// time once per `ttlMs` instead of once per snapshot is most of a snapshot's database work.
//
// This process keeps its entries exact: the times it stores itself replace them (`stored`), and a
// contact found online loses theirs (their next time is later than any kept). What another socket
// server stores (with Redis, several run) is seen here after at most `ttlMs`.
import { lastSeenOf } from "../../lib/chat";
import { KeptReads } from "./kept-reads";

const TTL_MS = 10_000;
const MAX_ENTRIES = 50_000;

export class LastSeenTimes {
  private readonly kept: KeptReads<string | null>;

  constructor(options: { ttlMs?: number; maxEntries?: number; now?: () => number; read?: typeof lastSeenOf } = {}) {
    const read = options.read ?? lastSeenOf;
    this.kept = new KeptReads(async (userIds) => new Map((await read({ userIds })).map((entry) => [entry.userId, entry.lastSeenAt])), {
      ttlMs: options.ttlMs ?? TTL_MS,
      maxEntries: options.maxEntries ?? MAX_ENTRIES,
      now: options.now,
    });
  }

  /** Each user's last-seen time (null: never recorded); users with no account are absent. */
  of(userIds: string[]): Promise<Map<string, string | null>> {
    return this.kept.of(userIds);
  }

  /** This process stored `at` for the user: it replaces what was kept, never with an earlier time (it is stored with $max). */
  stored(userId: string, at: Date): void {
    const kept = this.kept.peek(userId);
    const time = at.toISOString();
    this.kept.replace(userId, kept && kept > time ? kept : time);
  }

  /** Online now: whatever was kept is older than their next time. */
  forget(userIds: Iterable<string>): void {
    this.kept.forget(userIds);
  }
}
