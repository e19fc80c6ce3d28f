// Seeded randomness for load tests: a failure prints the seed it ran with, and
// PARLEY_SEED=<seed> replays the same choices (order, paths, pauses, ids); timing still varies.

export type Random = {
  seed: number;
  /** A float in [0, 1). */
  next(): number;
  int(maxExclusive: number): number;
  pick<T>(items: readonly T[]): T;
  /** A version-4 UUID drawn from this generator, so clientMsgIds replay too. */
  uuid(): string;
};

/** mulberry32: tiny, fast, and good enough to choose orders and paths. */
export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (maxExclusive: number) => Math.floor(next() * maxExclusive);
  const hex = (digits: number) => Array.from({ length: digits }, () => int(16).toString(16)).join("");
  return {
    seed,
    next,
    int,
    pick: (items) => items[int(items.length)]!,
    uuid: () => `${hex(8)}-${hex(4)}-4${hex(3)}-${"89ab"[int(4)]}${hex(3)}-${hex(12)}`,
  };
}

/** The seed from PARLEY_SEED, or a fresh one; logged under `label` so a failing run can be replayed. */
export function seededRandom(label: string): Random {
  const fromEnv = process.env.PARLEY_SEED;
  if (fromEnv && !/^\d+$/.test(fromEnv)) throw new Error(`PARLEY_SEED must be a non-negative integer, got ${fromEnv}`);
  const seed = fromEnv ? Number(fromEnv) >>> 0 : Math.floor(Math.random() * 2 ** 32);
  console.log(`[${label}] seed=${seed} (replay with PARLEY_SEED=${seed})`);
  return createRandom(seed);
}
