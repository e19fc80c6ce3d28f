// The data-size phase's tables: what was seeded at each size and how long it took, then every
// figure at both sizes with the ratio large/small (near 1: the cost does not grow with the
// database), how many requests finished within their bound, and the database's CPU per request.
import { renderSearch } from "./report-size-search.mjs";
import { fmt, ratio } from "./stats.mjs";

const FIGURES = [
  ["historySmallLatest", "history page of a small conversation (40 messages): `GET /api/conversations/:id/messages?limit=50`"],
  ["historySmallBefore", "the same with `before` inside it"],
  ["historyBigLatest", "history page of the 20,000-message conversation, latest 50"],
  ["historyBigDeep", "the same with `before` 5,000–15,000 (deep inside)"],
  ["list", "conversation list with unread counts: `GET /api/conversations` (users in 7–19 conversations, unread in 4 or more)"],
  ["syncHttpBig", "sync over HTTP: `GET …/sync?since=`, 20,000-message conversation, 5–24 versions behind"],
  ["syncSocketSmall", "sync over the socket (`sync`), small conversation, 2–6 versions behind"],
  ["syncSocketBig", "sync over the socket, 20,000-message conversation, 5–24 versions behind"],
];

export function renderSize(size, database) {
  const keys = size.config.sizes.map((s) => s.key).filter((key) => size.sizes[key]);
  const [a, b] = keys;
  const at = (key) => size.sizes[key];
  const labels = keys.map((key) => at(key).size.label);
  const lines = [`### Data size: Parley at ${labels.join(" and ")}`, ""];
  lines.push(
    `Database: ${database}. Each size is a database of its own on it, with the same 3,000 users, 3,000 conversations and memberships, the same 20,000-message conversation and the same forty small groups: only the other conversations' messages grow. Both sizes' Parley (its built socket server and web app, \`next start\`) run side by side, and every figure runs on one size right after the other, in alternating order, so that the machine's other work falls on both alike. Everything is read through Parley, signed in with a next-auth session cookie (HTTP) or a realtime token (socket).`,
    "",
  );

  lines.push(`| seeded | ${labels.join(" | ")} |`, `|---|${keys.map(() => "---:").join("|")}|`);
  const row = (name, fn) => lines.push(`| ${name} | ${keys.map((key) => fn(at(key))).join(" | ")} |`);
  row("users / conversations / memberships", (s) => `${fmt(s.counts.users, 0)} / ${fmt(s.counts.conversations, 0)} / ${fmt(s.counts.memberships, 0)}`);
  row("messages (the largest conversations)", (s) => `${fmt(s.counts.messages, 0)} (${s.largest.map((n) => fmt(n, 0)).join(", ")}, …)`);
  row("seeding through the driver, before any index (s)", (s) => `${fmt(s.seededMs / 1000)} (${fmt(s.counts.messages / (s.seededMs / 1000), 0)} messages/s)`);
  row("then Parley's indexes built (lib/db/indexes.ts) (s)", (s) => fmt(s.indexMs / 1000));
  row("then the search index built by Parley's indexer (s, postings)", (s) => (s.search ? `${fmt(s.search.ms / 1000)} (${fmt(s.search.stored, 0)})` : "—"));
  lines.push("");

  const ratioHead = b ? `${b}/${a}` : "ratio";
  lines.push(
    `| measure, through Parley (${size.config.requests} requests per figure, ${size.config.concurrency} at a time, after a warm-up) | unit | ${labels.join(" | ")} | ${ratioHead} | done within ${size.config.figureDeadlineMs / 1000} s | database CPU per request (ms) |`,
    `|---|---|${keys.map(() => "---:").join("|")}|---:|---|---|`,
  );
  const pairCell = (x, y, digits = 1) => `${fmt(x, digits)} / ${fmt(y, digits)}`;
  const figureRow = (name, unit, cells, ratios, done, cpu) => lines.push(`| ${name} | ${unit} | ${cells.join(" | ")} | ${ratios} | ${done} | ${cpu} |`);
  const hs = (key) => at(key).figures.handshakes;
  figureRow(
    `socket handshakes (${fmt(size.config.handshakes.users, 0)} users, ${size.config.handshakes.concurrency} at a time, each joined to its conversations)`,
    "per s",
    keys.map((key) => fmt(hs(key).perSecond, 0)),
    b ? ratio(hs(b).perSecond, hs(a).perSecond) : "—",
    keys.map((key) => (hs(key).notMeasured ? "not measured" : `${hs(key).connected}/${hs(key).planned} in ${fmt(hs(key).ms / 1000)} s`)).join("; "),
    "",
  );
  for (const [id, name] of FIGURES) {
    const f = (key) => at(key).figures[id];
    if (!keys.every((key) => f(key))) continue;
    figureRow(
      name,
      "ms, p50 / p95",
      keys.map((key) => pairCell(f(key).p50, f(key).p95)),
      b ? `${ratio(f(b).p50, f(a).p50)} / ${ratio(f(b).p95, f(a).p95)}` : "—",
      keys.map((key) => (f(key).notMeasured ? "not measured" : `${f(key).completed}/${f(key).planned}${f(key).failed ? ` (${f(key).failed} failed${f(key).gaveUp ? ", then gave up" : ""})` : ""}`)).join("; "),
      keys.map((key) => fmt(f(key).dbCpuMsPerRequest, 1)).join(" / "),
    );
  }
  const sendRow = (id, name) => {
    const f = (key) => at(key).figures[id];
    figureRow(
      name,
      "ms, p50 / p99",
      keys.map((key) => pairCell(f(key).p50, f(key).p99)),
      b ? `${ratio(f(b).p50, f(a).p50)} / ${ratio(f(b).p99, f(a).p99)}` : "—",
      keys.map((key) => (f(key).notMeasured ? "not measured" : `${f(key).completed}/${f(key).planned} delivered${f(key).ackErrors ? `, ${f(key).ackErrors} sends refused` : ""}`)).join("; "),
      keys.map((key) => fmt(f(key).dbCpuMsPerRequest, 1)).join(" / "),
    );
  };
  const send = size.config.send;
  sendRow("send", `send→receive, ${send.rate} msg/s for ${send.measureMs / 1000} s over ${send.conversations} small groups, two members' sockets each`);
  sendRow("sendBig", `send→receive, ${send.bigRate} msg/s for ${send.measureMs / 1000} s in the 20,000-message conversation`);
  lines.push(...renderSearch(size, keys));
  lines.push("", ...notes(size, keys));
  return lines;
}

function notes(size, keys) {
  const at = (key) => size.sizes[key];
  const alone = keys.flatMap((key) =>
    Object.entries(at(key).figures)
      .filter(([, f]) => f.alone)
      .map(([id, f]) => `${key} ${id}: ${f.alone.completed}/${f.alone.planned} done, p50 ${fmt(f.alone.p50)} ms`),
  );
  const missing = keys.flatMap((key) =>
    Object.entries(at(key).figures)
      .filter(([, f]) => f.notMeasured)
      .map(([id, f]) => `${key} ${id}: ${f.notMeasured}`),
  );
  const errors = keys.flatMap((key) =>
    Object.entries(at(key).figures)
      .filter(([, f]) => f.errors && Object.keys(f.errors).length)
      .map(([id, f]) => `${key} ${id}: ${JSON.stringify(f.errors)}`),
  );
  return [
    `- **How:** a failed request, or one still running at its figure's ${size.config.figureDeadlineMs / 1000} s bound, counts as infinitely slow (∞), and the rest are not started (nor after ${size.config.giveUpAfter} failures without a success: each may leave a query running in the database); a delivery still missing ${size.config.send.drainMs / 1000} s after the last send likewise. Handshakes: the load generator's wire-protocol clients with minted realtime tokens, every third user, within ${size.config.handshakes.deadlineMs / 1000} s. Before each figure the processes are idle (under 10 % of a core). Database CPU: its CPU time over the figure divided by the requests started (messages sent, for send→receive, including the warm-up second). Phase: ${fmt(size.durationMs / 1000, 0)} s.`,
    alone.length ? `- **Figures that did not all finish, measured again one request at a time:** ${alone.join("; ")}.` : "",
    missing.length ? `- **Not measured:** ${missing.join("; ")}.` : "",
    errors.length ? `- **Errors:** ${errors.join("; ")}.` : "",
  ].filter(Boolean);
}
