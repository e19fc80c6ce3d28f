// The data-size phase's search tables (size-search.mjs): search at both sizes with the ratio and
// the target (issue 16), by kind of query, and send→receive with and without the index.
import { SEARCH_KINDS } from "./size-search.mjs";
import { fmt, ratio } from "./stats.mjs";

const FIGURES = [
  ["searchHttp", "`GET /api/search` (web app, session cookie)"],
  ["searchSocket", "the socket's `search` request"],
  ["searchHttpAtRate", "`GET /api/search`, arriving at a steady rate"],
  ["searchSocketAtRate", "the socket's `search`, arriving at a steady rate"],
];
const SHORT = { searchHttp: "HTTP", searchSocket: "socket", searchHttpAtRate: "HTTP at a rate", searchSocketAtRate: "socket at a rate" };

export function renderSearch(size, keys) {
  const [a, b] = keys;
  const at = (key) => size.sizes[key];
  const lines = ["", `#### Search (${size.config.requests} requests per figure after a warm-up, ${size.config.concurrency} at a time, or at a rate: ${size.config.searchPerSecond ?? "—"} per second arriving as a Poisson stream; the query mix below in turn, by 16 users: 8 of the 20,000-message conversation, 8 outside it)`, ""];
  lines.push(`| measure | ${keys.map((key) => `${key} p50 / p95 / p99 (ms)`).join(" | ")} | ${b}/${a} p50 / p95 | target: p95 at ${b} ≤ 150 ms, ≤ 1.5× ${a} | done | database CPU per request (ms) |`);
  lines.push(`|---|${keys.map(() => "---:").join("|")}|---:|---|---|---|`);
  for (const [id, name] of FIGURES) {
    const f = (key) => at(key).figures?.[id];
    if (!keys.every((key) => f(key))) continue;
    const target = b ? `${f(b).p95 <= 150 && f(b).p95 <= 1.5 * f(a).p95 ? "met" : "**not met**"}` : "—";
    lines.push(
      `| ${name} | ${keys.map((key) => `${fmt(f(key).p50)} / ${fmt(f(key).p95)} / ${fmt(f(key).p99)}`).join(" | ")} | ${b ? `${ratio(f(b).p50, f(a).p50)} / ${ratio(f(b).p95, f(a).p95)}` : "—"} | ${target} | ${keys.map((key) => `${f(key).completed}/${f(key).planned}`).join("; ")} | ${keys.map((key) => fmt(f(key).dbCpuMsPerRequest)).join(" / ")} |`,
    );
  }
  lines.push("", `| query (by kind) | ${keys.flatMap((key) => FIGURES.map(([id]) => `${key} ${SHORT[id]} p50 / p95`)).join(" | ")} | median hits (${keys.join(" / ")}) |`);
  lines.push(`|---|${keys.flatMap(() => FIGURES.map(() => "---:")).join("|")}|---:|`);
  for (const [kind, name] of SEARCH_KINDS) {
    const k = (key, id) => at(key).figures?.[id]?.kinds?.[kind];
    const cells = keys.flatMap((key) => FIGURES.map(([id]) => (k(key, id) ? `${fmt(k(key, id).p50, 0)} / ${fmt(k(key, id).p95, 0)}` : "—")));
    lines.push(`| ${name} | ${cells.join(" | ")} | ${keys.map((key) => fmt(k(key, "searchHttp")?.hits, 0)).join(" / ")} |`);
  }
  lines.push("", `Search index, built after seeding by Parley's own indexer (\`npm run search:rebuild\`): ${keys.map((key) => describeBuild(key, at(key))).join("; ")}.`);
  if (size.sendIndex) lines.push(...renderSendIndex(size));
  return lines;
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
    `send→receive, ${send.rate} msg/s for ${send.measureMs / 1000} s over ten small groups per arm, texts of the seeded vocabulary; "with": Parley as measured above; "without": a second Parley on the same database with \`SEARCH_INDEX=off\`. Rounds in the order ${order.join(", ")}; medians of the rounds.${size.config.sendIndexSettleMs ? ` Each round's database CPU is read ${size.config.sendIndexSettleMs / 1000} s after its last delivery, so that it takes in the index's version moves (10 s after its writes).` : ""}`,
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
