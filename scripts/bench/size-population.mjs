// The data-size phase's population (issue 12, "proof at size"): 3,000 users, 3,000 conversations,
// about 22,000 memberships, and how many messages each conversation holds at each size. Built
// from a fixed seed, so both sizes share every user, conversation and membership, and the
// conversations the phase reads (one of 20,000 messages, forty small groups) hold the same
// messages at both: only the rest of the database grows, which is what a ratio near 1 proves.
import { randomUUID } from "node:crypto";
import { ObjectId } from "mongodb";

export const SHAPE = {
  users: 3000,
  conversations: 3000,
  memberships: 22_000,
  directs: 1200,
  // A busy team channel: users 0..members-1.
  big: { members: 120, messages: 20_000 },
  // Read by the history and sync figures: ≤ 50 messages each at both sizes.
  small: { count: 40, members: 5, messages: 40 },
  // Whose conversation lists are read: users 100..139, each in four small groups (and 100..119 in
  // the big one), a few messages behind in each; plus their ordinary conversations.
  listUsers: { from: 100, count: 40 },
  // Searchers whose every conversation holds the same messages at both sizes (big members 8..15,
  // list users 132..139): their search reads the same data at both, so its ratio is the size of
  // the database alone. The other searchers (size-search.mjs) see their own conversations grow.
  steadySearchers: { big: [8, 16], list: [32, 40] },
};

/** A small deterministic generator (mulberry32): the same seed gives the same population. */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DAY = 24 * 60 * 60 * 1000;

/**
 * sizes: [{ key, messages }] (messages in total). Returns { users, conversations, big, small,
 * listUsers, steadySearchers (user indexes), totals } where each conversation is { index, id, kind, fixed, key, name, members
 * (user indexes, the creator first), createdAt, behindBy[k] (how many messages member k has not
 * read), muted[k], counts: { [size key]: messages } }.
 */
export function planSizePopulation({ sizes, now = Date.now() }) {
  const random = prng(12);
  const pick = (n) => Math.floor(random() * n);
  const users = Array.from({ length: SHAPE.users }, (_, i) => ({ id: new ObjectId(), name: `Size ${i}` }));
  const conversations = [];
  const add = (kind, members, fixed) => {
    const index = conversations.length;
    conversations.push({
      index,
      id: new ObjectId(),
      kind,
      fixed,
      members,
      key: kind === "direct" ? `dm:${members.map((m) => users[m].id.toHexString()).sort().join(":")}` : `group:${randomUUID()}`,
      name: kind === "direct" ? null : `Size group ${index}`,
      createdAt: new Date(now - 120 * DAY + random() * 30 * DAY),
    });
  };

  add("group", range(0, SHAPE.big.members), "big");
  const list = range(SHAPE.listUsers.from, SHAPE.listUsers.from + SHAPE.listUsers.count);
  for (let j = 0; j < SHAPE.small.count; j++) {
    const members = range(0, SHAPE.small.members - 1).map((k) => list[(j + k) % list.length]);
    add("group", [...members, userNotIn([...members, ...list], pick)], "small");
  }
  const pairs = new Set();
  while (conversations.filter((c) => c.kind === "direct").length < SHAPE.directs) {
    const a = pick(SHAPE.users);
    const b = pick(SHAPE.users);
    if (a === b || pairs.has(`${Math.min(a, b)}:${Math.max(a, b)}`)) continue;
    pairs.add(`${Math.min(a, b)}:${Math.max(a, b)}`);
    add("direct", [a, b], null);
  }
  // The remaining groups share what is left of the memberships: 3 to ~19 members, ~11 on average.
  const groups = SHAPE.conversations - conversations.length;
  let left = SHAPE.memberships - conversations.reduce((sum, c) => sum + c.members.length, 0);
  for (let g = 0; g < groups; g++) {
    const size = Math.max(3, Math.min(40, Math.round((left / (groups - g)) * (0.3 + 1.4 * random()))));
    const members = [];
    while (members.length < size) members.push(userNotIn(members, pick));
    left -= size;
    add("group", members, null);
  }

  for (const c of conversations) {
    c.counts = {};
    // How far behind each member has read: most are caught up, some a little behind, a few far.
    c.behindBy = c.members.map((m) => (c.fixed && list.includes(m) ? 2 + pick(11) : random() < 0.6 ? 0 : random() < 0.75 ? 1 + pick(5) : 6 + pick(35)));
    c.muted = c.members.map(() => random() < 0.05);
  }
  // Message weights of the ordinary conversations: heavy-tailed (Pareto), so a few grow into the thousands.
  const spread = conversations.filter((c) => !c.fixed);
  const weights = spread.map(() => random() ** -0.8);
  const fixedMessages = SHAPE.big.messages + SHAPE.small.count * SHAPE.small.messages;
  const { steadySearchers: st } = SHAPE;
  const steadySearchers = [...range(st.big[0], st.big[1]), ...list.slice(st.list[0], st.list[1])];
  // An ordinary conversation of a steady searcher holds at every size what it holds at the smallest.
  const steady = new Set(spread.filter((c) => c.members.some((m) => steadySearchers.includes(m))));
  const bySize = [...sizes].sort((a, b) => a.messages - b.messages);
  for (const [n, size] of bySize.entries()) {
    for (const c of conversations) if (c.fixed) c.counts[size.key] = c.fixed === "big" ? SHAPE.big.messages : SHAPE.small.messages;
    if (n === 0) {
      const counts = apportion(weights, Math.max(0, size.messages - fixedMessages));
      spread.forEach((c, k) => (c.counts[size.key] = counts[k]));
      continue;
    }
    let held = 0;
    for (const c of steady) held += c.counts[size.key] = c.counts[bySize[0].key];
    const rest = spread.flatMap((c, k) => (steady.has(c) ? [] : [{ c, weight: weights[k] }]));
    const counts = apportion(rest.map((r) => r.weight), Math.max(0, size.messages - fixedMessages - held));
    rest.forEach(({ c }, k) => (c.counts[size.key] = counts[k]));
  }
  const totals = Object.fromEntries(sizes.map((s) => [s.key, conversations.reduce((sum, c) => sum + c.counts[s.key], 0)]));
  return { users, conversations, big: conversations[0], small: conversations.filter((c) => c.fixed === "small"), listUsers: list, steadySearchers, totals };
}

const range = (from, to) => Array.from({ length: to - from }, (_, k) => from + k);

/** Any user not in `taken`. */
function userNotIn(taken, pick) {
  for (;;) {
    const u = pick(SHAPE.users);
    if (!taken.includes(u)) return u;
  }
}

/** Splits `total` in proportion to `weights` into whole numbers that add up to it (largest remainder). */
function apportion(weights, total) {
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (w / sum) * total);
  const counts = exact.map(Math.floor);
  let left = total - counts.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => [x - Math.floor(x), i]).sort((a, b) => b[0] - a[0]);
  for (const [, i] of order) {
    if (left-- <= 0) break;
    counts[i] += 1;
  }
  return counts;
}
