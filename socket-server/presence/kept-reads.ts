// What a read answered, kept for a while per key, so that the next connections asking for the
// same keys do not read them again (members.ts, last-seen.ts). A read that was under way while
// something was forgotten (or replaced) answers its caller but is not kept: it may predate the change.
// Entries expire after `ttlMs`, and the oldest go first beyond `maxEntries`.

export type KeptReadsOptions = { ttlMs: number; maxEntries: number; now?: () => number };

export class KeptReads<V> {
  private readonly entries = new Map<string, { value: V; at: number }>();
  /** Moves at every forget or replace that touches a kept or in-flight key: a read that started before a move is not kept. */
  private changes = 0;
  /** Keys being read now, with how many reads are reading each. */
  private readonly reading = new Map<string, number>();

  constructor(
    /** Reads the values of these keys; a key it does not answer has no value (and is not kept). */
    private readonly read: (keys: string[]) => Promise<Map<string, V>>,
    private readonly options: KeptReadsOptions,
  ) {}

  /** The value of each key that has one, from memory where kept and fresh, else in one read. */
  async of(keys: Iterable<string>): Promise<Map<string, V>> {
    const now = this.now();
    const found = new Map<string, V>();
    const missing: string[] = [];
    for (const key of new Set(keys)) {
      const entry = this.entries.get(key);
      if (entry && now - entry.at < this.options.ttlMs) found.set(key, entry.value);
      else missing.push(key);
    }
    if (missing.length === 0) return found;
    const mark = this.changes;
    for (const key of missing) this.reading.set(key, (this.reading.get(key) ?? 0) + 1);
    let read: Map<string, V>;
    try {
      read = await this.read(missing);
    } finally {
      for (const key of missing) {
        const count = this.reading.get(key)! - 1;
        if (count === 0) this.reading.delete(key);
        else this.reading.set(key, count);
      }
    }
    const keep = this.changes === mark;
    for (const [key, value] of read) {
      found.set(key, value);
      if (keep) this.keep(key, value, now);
    }
    return found;
  }

  /** The kept value, fresh or not (for a caller that replaces it). */
  peek(key: string): V | undefined {
    return this.entries.get(key)?.value;
  }

  /** Replaces what is kept for `key`; reads under way are not kept. */
  replace(key: string, value: V): void {
    this.changes += 1;
    this.keep(key, value, this.now());
  }

  forget(keys: Iterable<string>): void {
    let touched = false;
    for (const key of keys) {
      if (this.reading.has(key)) touched = true;
      if (this.entries.delete(key)) touched = true;
    }
    if (touched) this.changes += 1;
  }

  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.changes += 1;
    this.entries.clear();
  }

  private keep(key: string, value: V, at: number): void {
    this.entries.delete(key);
    this.entries.set(key, { value, at });
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.options.maxEntries) break;
      this.entries.delete(oldest);
    }
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }
}
