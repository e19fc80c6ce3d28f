// Who is in each conversation, as presence snapshots need it, kept between snapshots. Every
// connection's snapshot reads the members of all its conversations; without this, a conversation
// of eight people is read again for each of the eight, at every connect, and a reconnect storm
// reads every membership several times over.
//
// An entry is dropped the moment its conversation's room gains or loses sockets through a
// membership change (membership-changes.ts: a member added or removed, a conversation created), on
// any instance; a read that was under way when such a change came is used for its own answer but
// not kept. Entries also expire after `ttlMs`, should a change ever reach the database and not the
// socket servers, and the oldest go first beyond `maxEntries`.
import { memberIdsOf } from "../../lib/chat";
import { onMembershipChange } from "../membership-changes";

const TTL_MS = 60_000;
const MAX_ENTRIES = 20_000;

type Entry = { members: string[]; at: number };

export class ConversationMembers {
  private readonly entries = new Map<string, Entry>();
  /** Moves at every change: a read that started before a move is not stored. */
  private changes = 0;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly options: { ttlMs?: number; maxEntries?: number; now?: () => number; read?: typeof memberIdsOf } = {},
  ) {
    this.unsubscribe = onMembershipChange((conversationIds) => this.forget(conversationIds));
  }

  /** The members of each of these conversations (user ids), from memory where known, else in one read. */
  async of(conversationIds: string[]): Promise<Map<string, string[]>> {
    const now = this.now();
    const ttl = this.options.ttlMs ?? TTL_MS;
    const found = new Map<string, string[]>();
    const missing: string[] = [];
    for (const id of new Set(conversationIds)) {
      const entry = this.entries.get(id);
      if (entry && now - entry.at < ttl) found.set(id, entry.members);
      else missing.push(id);
    }
    if (missing.length === 0) return found;
    const mark = this.changes;
    const read = await (this.options.read ?? memberIdsOf)({ conversationIds: missing });
    const keep = this.changes === mark;
    for (const id of missing) {
      const members = read.get(id) ?? [];
      found.set(id, members);
      if (keep) this.store(id, members, now);
    }
    return found;
  }

  forget(conversationIds: string[]): void {
    this.changes += 1;
    for (const id of conversationIds) this.entries.delete(id);
  }

  get size(): number {
    return this.entries.size;
  }

  close(): void {
    this.unsubscribe();
    this.entries.clear();
  }

  private store(id: string, members: string[], at: number): void {
    this.entries.delete(id);
    this.entries.set(id, { members, at });
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
