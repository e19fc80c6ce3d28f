// Who is in each conversation, as presence snapshots need it, kept between snapshots. Every
// connection's snapshot reads the members of all its conversations; without this, a conversation
// of eight people is read again for each of the eight, at every connect, and a reconnect storm
// reads every membership several times over.
//
// An entry is dropped the moment its conversation's room gains or loses sockets through a
// membership change (membership-changes.ts: a member added or removed, a conversation created), on
// any instance; a read that was under way when such a change came is used for its own answer but
// not kept (kept-reads.ts). Entries also expire after `ttlMs`, should a change ever reach the
// database and not the socket servers, and the oldest go first beyond `maxEntries`.
import { memberIdsOf } from "../../lib/chat";
import { onMembershipChange } from "../membership-changes";
import { KeptReads } from "./kept-reads";

const TTL_MS = 60_000;
const MAX_ENTRIES = 20_000;

export class ConversationMembers {
  private readonly kept: KeptReads<string[]>;
  private readonly unsubscribe: () => void;

  constructor(options: { ttlMs?: number; maxEntries?: number; now?: () => number; read?: typeof memberIdsOf } = {}) {
    const read = options.read ?? memberIdsOf;
    this.kept = new KeptReads((conversationIds) => read({ conversationIds }), { ttlMs: options.ttlMs ?? TTL_MS, maxEntries: options.maxEntries ?? MAX_ENTRIES, now: options.now });
    this.unsubscribe = onMembershipChange((conversationIds) => this.forget(conversationIds));
  }

  /** The members of each of these conversations (user ids), from memory where known, else in one read. */
  async of(conversationIds: string[]): Promise<Map<string, string[]>> {
    return this.kept.of(conversationIds);
  }

  forget(conversationIds: string[]): void {
    this.kept.forget(conversationIds);
  }

  get size(): number {
    return this.kept.size;
  }

  close(): void {
    this.unsubscribe();
    this.kept.clear();
  }
}
