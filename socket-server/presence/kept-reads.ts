// What a read answered, kept for a while per key, so that the next connections asking for the
// same keys do not read them again (members.ts, last-seen.ts). A read that was under way while
// one of its keys was forgotten (or replaced) answers its caller but that key is not kept: its value
// may predate the change. Its other keys are kept: in a reconnect storm contacts come online (and
// are forgotten) all the time, and discarding whole reads for that re-read everyone else.
// Entries expire after `ttlMs`, and the oldest go first beyond `maxEntries`.

export type KeptReadsOptions = { ttlMs: number; maxEntries: number; now?: () => number };

export class KeptReads<V> {
  private readonly entries = new Map<string, { value: V; at: number }>();
  /** Keys being read now: how many reads are reading each, and how often it changed meanwhile. */
  private readonly reading = new Map<string, { reads: number; changes: number }>();

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
    const marks = missing.map((key) => {
      let reading = this.reading.get(key);
      if (!reading) this.reading.set(key, (reading = { reads: 0, changes: 0 }));
      reading.reads += 1;
      return reading.changes;
    });
    let read: Map<string, V>;
    let unchanged: Set<string>;
    try {
      read = await this.read(missing);
    } finally {
      unchanged = new Set(missing.filter((key, k) => this.reading.get(key)!.changes === marks[k]));
      for (const key of missing) {
        const reading = this.reading.get(key)!;
        reading.reads -= 1;
        if (reading.reads === 0) this.reading.delete(key);
      }
    }
    for (const [key, value] of read) {
      found.set(key, value);
      if (unchanged.has(key)) this.keep(key, value, now);
    }
    return found;
  }

  /** The kept value, fresh or not (for a caller that replaces it). */
  peek(key: string): V | undefined {
    return this.entries.get(key)?.value;
  }

  /** Replaces what is kept for `key`; reads under way are not kept. */
  replace(key: string, value: V): void {
    this.changed(key);
    this.keep(key, value, this.now());
  }

  forget(keys: Iterable<string>): void {
    for (const key of keys) {
      this.entries.delete(key);
      this.changed(key);
    }
  }

  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    for (const reading of this.reading.values()) reading.changes += 1;
    this.entries.clear();
  }

  /** A read of `key` under way must not keep what it finds. */
  private changed(key: string): void {
    const reading = this.reading.get(key);
    if (reading) reading.changes += 1;
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
