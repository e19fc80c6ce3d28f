// The data-size phase's search tables (size-search.mjs): search at both sizes with the ratio and
// the target (issue 16), by kind of query, and send→receive with and without the index.
import { SEARCH_KINDS, searchKey } from "./size-search.mjs";
import { fmt, median, ratio } from "./stats.mjs";

const FIGURES = [
  ["searchHttp", "`GET /api/search` (web app, session cookie)"],
  ["searchSocket", "the socket's `search` request"],
  ["searchHttpAtRate", "`GET /api/search`, arriving at a steady rate"],
  ["searchSocketAtRate", "the socket's `search`, arriving at a steady rate"],
];
const SHORT = { searchHttp: "HTTP", searchSocket: "socket", searchHttpAtRate: "HTTP at a rate", searchSocketAtRate: "socket at a rate" };

const SETS = [
  ["grown", "8 of the 20,000-message conversation and 8 outside it, whose own conversations hold more at the larger size"],
  ["steady", "8 of the 20,000-message conversation and 8 outside it, whose every conversation holds the same messages at both sizes"],
];

export function renderSearch(size, keys) {
  const [a, b] = keys;
  const at = (key) => size.sizes[key];
  const lines = [
    "",
    `#### Search (${size.config.requests} requests per figure after a warm-up, ${size.config.concurrency} at a time, or at a rate: ${size.config.searchPerSecond ?? "—"} per second arriving as a Poisson stream; the query mix below in turn, by two sets of 16 users)`,
    "",
    "Targets (issue 16): p95 at the larger size ≤ 150 ms, for both sets; and ≤ 1.5× the smaller size's p95, for the steady searchers, who read the same data at both sizes (the ratio is then the size of the database alone). The grown searchers' ratio also counts their own conversations' growth; it is shown, not judged.",
    "",
    ...SETS.map(([set, name]) => `- ${set}: ${name}. Messages each may read: ${keys.map((key) => describeReach(at(key).searchReach?.[set], key)).join("; ")}.`),
    "",
  ];
  lines.push(`| searchers | measure | ${keys.map((key) => `${key} p50 / p95 / p99 (ms)`).join(" | ")} | ${b}/${a} p50 / p95 | p95 at ${b} ≤ 150 ms | ≤ 1.5× ${a} | done | database CPU per request (ms) |`);
  lines.push(`|---|---|${keys.map(() => "---:").join("|")}|---:|---|---|---|---|`);
  for (const [set] of SETS) {
    for (const [id, name] of FIGURES) {
      const f = (key) => at(key).figures?.[searchKey(id, set)];
      if (!keys.every((key) => f(key))) continue;
      const absolute = b ? metOrNot(f(b).p95 <= 150) : "—";
      const relative = !b ? "—" : set === "steady" ? metOrNot(f(b).p95 <= 1.5 * f(a).p95) : "(not judged)";
      lines.push(
        `| ${set} | ${name} | ${keys.map((key) => `${fmt(f(key).p50)} / ${fmt(f(key).p95)} / ${fmt(f(key).p99)}`).join(" | ")} | ${b ? `${ratio(f(b).p50, f(a).p50)} / ${ratio(f(b).p95, f(a).p95)}` : "—"} | ${absolute} | ${relative} | ${keys.map((key) => `${f(key).completed}/${f(key).planned}`).join("; ")} | ${keys.map((key) => fmt(f(key).dbCpuMsPerRequest)).join(" / ")} |`,
      );
    }
  }
  for (const [set] of SETS) {
    if (!keys.some((key) => FIGURES.some(([id]) => at(key).figures?.[searchKey(id, set)]))) continue;
    lines.push("", `| query (by kind), ${set} searchers | ${keys.flatMap((key) => FIGURES.map(([id]) => `${key} ${SHORT[id]} p50 / p95`)).join(" | ")} | median hits (${keys.join(" / ")}) |`);
    lines.push(`|---|${keys.flatMap(() => FIGURES.map(() => "---:")).join("|")}|---:|`);
    for (const [kind, name] of SEARCH_KINDS) {
      const k = (key, id) => at(key).figures?.[searchKey(id, set)]?.kinds?.[kind];
      const cells = keys.flatMap((key) => FIGURES.map(([id]) => (k(key, id) ? `${fmt(k(key, id).p50, 0)} / ${fmt(k(key, id).p95, 0)}` : "—")));
      lines.push(`| ${name} | ${cells.join(" | ")} | ${keys.map((key) => fmt(k(key, "searchHttp")?.hits, 0)).join(" / ")} |`);
    }
  }
  lines.push("", `Search index, built after seeding by Parley's own indexer (\`npm run search:rebuild\`): ${keys.map((key) => describeBuild(key, at(key))).join("; ")}.`);
  if (size.sendIndex) lines.push(...renderSendIndex(size));
  return lines;
}

const metOrNot = (met) => (met ? "met" : "**not met**");

/** The searchers' reach at one size: the median and the range of the messages each may read. */
function describeReach(reach, key) {
  if (!reach?.length) return `${key}: —`;
  const sorted = [...reach].sort((x, y) => x - y);
  return `${key}: median ${fmt(median(sorted), 0)}, ${fmt(sorted[0], 0)}–${fmt(sorted.at(-1), 0)}`;
}

function describeBuild(key, s) {
  if (!s.search) return `${key}: —`;
  const { ms, stored: postings } = s.search;
  return `${key}: ${fmt(ms / 1000)} s for ${fmt(postings, 0)} postings (${fmt(postings / (ms / 1000), 0)}/s)`;
}

function renderSendIndex(size) {
  const { key, on, off, order } = size.sendIndex;
  const send = size.config.send;
  const lines = [
    "",
    `#### Sending with and without the search index (${key}; target: no more than 20 % slower)`,
    "",
    `send→receive, ${send.rate} msg/s for ${send.measureMs / 1000} s over ten small groups per arm, texts of the seeded vocabulary; "with" and "without": two Parleys started together on the same database once the ones measured above are stopped, the second with \`SEARCH_INDEX=off\`. Rounds in the order ${order.join(", ")}; medians of the rounds.${size.config.sendIndexSettleMs ? ` Each round's database CPU is read ${size.config.sendIndexSettleMs / 1000} s after its last delivery, so that it takes in the index's version moves (10 s after its writes).` : ""}`,
    "",
    "| | with the index | without | with/without |",
    "|---|---:|---:|---:|",
    `| p50 (ms) | ${fmt(on.p50)} | ${fmt(off.p50)} | ${ratio(on.p50, off.p50)} |`,
    `| p99 (ms) | ${fmt(on.p99)} | ${fmt(off.p99)} | ${ratio(on.p99, off.p99)} |`,
    ...(on.pooled && off.pooled
      ? [
          `| p50 over every delivery of the rounds (ms) | ${fmt(on.pooled.p50)} | ${fmt(off.pooled.p50)} | ${ratio(on.pooled.p50, off.pooled.p50)} |`,
          `| p99 over every delivery of the rounds (ms) | ${fmt(on.pooled.p99)} | ${fmt(off.pooled.p99)} | ${ratio(on.pooled.p99, off.pooled.p99)} |`,
        ]
      : []),
    `| database CPU per send (ms) | ${fmt(on.dbCpuMsPerSend, 2)} | ${fmt(off.dbCpuMsPerSend, 2)} | ${ratio(on.dbCpuMsPerSend, off.dbCpuMsPerSend)} |`,
    `| rounds (p50 / p99 ms, delivered) | ${on.rounds.map(describeRound).join("; ")} | ${off.rounds.map(describeRound).join("; ")} | |`,
  ];
  return lines;
}

const describeRound = (r) => `${fmt(r.p50)} / ${fmt(r.p99)} (${r.completed}/${r.planned})`;
