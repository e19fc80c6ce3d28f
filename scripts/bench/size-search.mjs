// The data-size phase's search figures (issue 16: "search p95 ≤ 150 ms at 200,000 messages, and ≤
// 1.5× that figure at 20,000; sending no more than 20 % slower than without the index"):
// searches through Parley's web app (GET /api/search) and its socket (`search`), a mix of queries
// drawn from the seeded vocabulary; and send→receive on the 200,000-message database with the
// index and, on a second Parley on the same database with SEARCH_INDEX=off, without it.
import { log } from "./context.mjs";
import { openSocket, request } from "./size-measure.mjs";
import { RARE_WORD } from "./seed-size.mjs";
import { fmt, median, quantile } from "./stats.mjs";

/** The query mix, one of each in turn. */
export const SEARCH_KINDS = [
  ["common", "a common word (`deploy`)"],
  ["rare", `a rare word (\`${RARE_WORD}\`, 30 messages, all in the conversations that are the same at both sizes)`],
  ["prefix", "a 3-letter prefix (`rel`, `che`, `tom`)"],
  ["twoWords", "two words (`review ticket`)"],
  ["phrase", 'a phrase (`"looks good"`)'],
  ["from", "`from:<a member of one of their groups>`, alone"],
  ["in", "`in:<one of their groups>`, alone"],
  ["page2", "the second page of `deploy` (its cursor)"],
];
const PREFIXES = ["rel", "che", "tom"];
// size-figures.mjs numbers a figure's warm-up requests from here.
const WARMUP_FROM = 7919;

/**
 * The searchers, each with a group they are in and another member of it, for from: and in:.
 * "grown": eight users of the big conversation (0–7) and eight list users outside it (124–131:
 * four small groups each, and their ordinary conversations, which hold more at the larger size).
 * "steady": as many of each (8–15, 132–139) whose every conversation holds the same messages at
 * both sizes (size-population.mjs), so that only the rest of the database grows around them.
 */
function searchers(plan, set) {
  const users = set === "steady" ? plan.steadySearchers : [...plan.big.members.slice(0, 8), ...plan.listUsers.slice(24, 32)];
  return users.map((u) => {
    const group = plan.conversations.find((c) => c.kind === "group" && c.fixed && c.members.includes(u));
    const other = group.members.find((m) => m !== u);
    return { u, group, other: plan.users[other].name };
  });
}

/** How many messages the searchers of `set` may read at size `key`, summed over their conversations. */
export function searchersReach(plan, set, key) {
  return searchers(plan, set).map(({ u }) => plan.conversations.reduce((sum, c) => sum + (c.members.includes(u) ? c.counts[key] : 0), 0));
}

/** Query `i` of the mix: { kind, searcher index, q, cursor? }. */
function queryOf(people, i, cursors) {
  const [kind] = SEARCH_KINDS[i % SEARCH_KINDS.length];
  const s = Math.floor(i / SEARCH_KINDS.length) % people.length;
  const { group, other } = people[s];
  const q = {
    common: "deploy",
    rare: RARE_WORD,
    prefix: PREFIXES[Math.floor(i / SEARCH_KINDS.length) % PREFIXES.length],
    twoWords: "review ticket",
    phrase: '"looks good"',
    from: `from:"${other}"`,
    in: `in:"${group.name}"`,
    page2: "deploy",
  }[kind];
  return { kind, s, q, cursor: kind === "page2" ? cursors[s] : undefined };
}

/**
 * The two search figures, for size-figures.mjs: each request one query of the mix, timed as a
 * whole; per kind, the times of those that succeeded and how many hits they found.
 */
export function defineSearchFigures({ plan, tokens, http, timed, perSecond }) {
  return ["grown", "steady"].flatMap((set) => searchFiguresOf({ plan, tokens, http, timed, perSecond, set }));
}

/** The figure key of `figure` (searchHttp, …) for the searchers of `set`. */
export const searchKey = (figure, set) => (set === "steady" ? figure.replace(/^search/, "searchSteady") : figure);

function searchFiguresOf({ plan, tokens, http, timed, perSecond, set }) {
  const people = searchers(plan, set);
  const cursorsOf = new Map();
  // Page 1 of `deploy` for each searcher, untimed, once per stack: the page-2 queries start from its cursor.
  const cursors = async (stack) => {
    if (!cursorsOf.has(stack.key)) {
      const pages = await Promise.all(people.map(({ u }) => http(stack, `/api/search?${new URLSearchParams({ q: "deploy" })}`, u)));
      cursorsOf.set(stack.key, pages.map((page) => page.cursor ?? undefined));
    }
    return cursorsOf.get(stack.key);
  };
  const figure = (name, open, ask, load) => {
    const key = searchKey(name, set);
    return {
      keys: [key],
      run: async (stack) => {
        const known = await cursors(stack);
        const connection = await open(stack);
        const kinds = {};
        try {
          const result = await timed(stack, key, async (i, signal) => {
            const query = queryOf(people, i, known);
            const begun = performance.now();
            const answer = await ask(stack, connection, query, signal);
            // The warm-up's requests (numbered from WARMUP_FROM on) are not counted.
            if (i < WARMUP_FROM) {
              (kinds[query.kind] ??= { ms: [], hits: [] }).ms.push(performance.now() - begun);
              kinds[query.kind].hits.push(answer.hits.length);
            }
            return answer;
          }, load);
          result.kinds = Object.fromEntries(Object.entries(kinds).map(([kind, k]) => [kind, { n: k.ms.length, p50: quantile(k.ms, 0.5), p95: quantile(k.ms, 0.95), hits: median(k.hits) }]));
          log(`  ${stack.key} ${key} by kind (p50 / p95 ms, median hits): ${Object.entries(result.kinds).map(([kind, k]) => `${kind} ${fmt(k.p50, 0)} / ${fmt(k.p95, 0)} (${k.hits})`).join(", ")}`);
          return { [key]: result };
        } finally {
          connection?.forEach((socket) => socket.close());
        }
      },
    };
  };
  const params = ({ q, cursor }) => new URLSearchParams(cursor ? { q, cursor } : { q });
  const overHttp = (stack, _, query, signal) => http(stack, `/api/search?${params(query)}`, people[query.s].u, signal);
  const openSockets = (stack) => Promise.all(people.map(({ u }) => openSocket(stack.parley.socketUrl, tokens[u])));
  const overSocket = (_, sockets, query, signal) => request(sockets[query.s], "search", query.cursor ? { q: query.q, cursor: query.cursor } : { q: query.q }, signal);
  return [
    figure("searchHttp", async () => null, overHttp),
    // The same requests arriving at a steady rate (a Poisson stream), whatever is still in flight.
    figure("searchHttpAtRate", async () => null, overHttp, { perSecond, deadlineMs: 60_000 }),
    figure("searchSocket", openSockets, overSocket),
    figure("searchSocketAtRate", openSockets, overSocket, { perSecond, deadlineMs: 60_000 }),
  ];
}

/**
 * Send→receive on the large database with the index (`stack.parley`) and without it (`off`,
 * started with it on the same database with SEARCH_INDEX=off), in alternating rounds: on, off, off, on, and
 * so on. Each arm sends into ten small groups of its own, the same every round (the other arm's
 * sends would otherwise be indexed by the next send of this one). Returns both arms' rounds and
 * the medians of their p50, p99 and database CPU per send, and p50 and p99 over every delivery of
 * the arm's rounds together (pooled: a round's p99 rests on its two slowest deliveries).
 */
const pooled = (samples) => ({ n: samples.length, p50: quantile(samples, 0.5), p99: quantile(samples, 0.99) });

export async function sendWithAndWithoutIndex({ stack, off, plan, sendFigure, log, rounds = 6 }) {
  const arms = {
    on: { parley: stack.parley, conversations: plan.small.slice(10, 20), rounds: [] },
    off: { parley: off, conversations: plan.small.slice(20, 30), rounds: [] },
  };
  const order = Array.from({ length: rounds }, (_, i) => ["on", "off", "off", "on"][i % 4]);
  for (const [n, arm] of order.entries()) {
    const a = arms[arm];
    const result = await sendFigure({ key: `${stack.key}-index-${arm}`, parley: a.parley }, { conversations: a.conversations, key: `send (round ${n + 1})` });
    a.rounds.push(result);
  }
  const summary = (a) => ({
    rounds: a.rounds.map(({ p50, p95, p99, completed, planned, dbCpuMsPerRequest, ackErrors }) => ({ p50, p95, p99, completed, planned, dbCpuMsPerRequest, ackErrors })),
    p50: median(a.rounds.map((r) => r.p50)),
    p99: median(a.rounds.map((r) => r.p99)),
    dbCpuMsPerSend: median(a.rounds.map((r) => r.dbCpuMsPerRequest)),
    pooled: pooled(a.rounds.flatMap((r) => r.samples ?? [])),
  });
  const result = { on: summary(arms.on), off: summary(arms.off), order };
  log(`  send with and without the search index (medians of ${rounds / 2} rounds each): p50 ${result.on.p50.toFixed(1)} / ${result.off.p50.toFixed(1)} ms, p99 ${result.on.p99.toFixed(1)} / ${result.off.p99.toFixed(1)} ms, database CPU ${result.on.dbCpuMsPerSend.toFixed(2)} / ${result.off.dbCpuMsPerSend.toFixed(2)} ms per send`);
  log(`  pooled over each arm's ${result.on.pooled.n} / ${result.off.pooled.n} deliveries: p50 ${fmt(result.on.pooled.p50)} / ${fmt(result.off.pooled.p50)} ms, p99 ${fmt(result.on.pooled.p99)} / ${fmt(result.off.pooled.p99)} ms`);
  return result;
}
