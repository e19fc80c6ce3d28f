// The data-size phase (issue 12, item 4, "proof at size"): the same 3,000 users, 3,000
// conversations and ~22,000 memberships with first ~20,000 and then 200,000 messages, each size
// in a database of its own, read through Parley itself (its built socket server and its built web
// app's route handlers, `next start`), never through the driver. Cost should grow with the size
// of the answer, not of the database: the report gives each figure at both sizes and the ratio.
// Both sizes are seeded first, then both run side by side and each figure alternates between them.
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import path from "node:path";
import { freePort, root, SOCKET_SERVER_NODE_ARGS, startService, waitForHttp } from "../processes.mjs";
import { log } from "./context.mjs";
import { mintTokens } from "./seed.mjs";
import { seedSize } from "./seed-size.mjs";
import { measureSendWithoutIndex, measureSizes } from "./size-figures.mjs";
import { planSizePopulation } from "./size-population.mjs";
import { searchersReach } from "./size-search.mjs";
import { ORIGIN } from "./targets.mjs";

export const SIZE_CONFIG = {
  // The small size is the 20,000-message conversation (the same at both sizes, so its pages
  // compare like with like) plus 2,000 more, so that small conversations, lists and sync have
  // something to read; the large one is 200,000 in all.
  sizes: [
    { key: "20k", label: "22,000 messages", messages: 22_000 },
    { key: "200k", label: "200,000 messages", messages: 200_000 },
  ],
  requests: 150,
  concurrency: 4,
  // Untimed first requests: Next.js loads a route's code at its first request.
  warmup: { count: 6, concurrency: 2, giveUpAfter: 1 },
  figureDeadlineMs: 10_000,
  giveUpAfter: 12,
  // For a figure that did not all finish: a few requests one at a time.
  alone: { count: 2, deadlineMs: 8_000 },
  // Searches also arrive at this rate, whatever is in flight (latency at a load, where `concurrency` keeps the server saturated).
  searchPerSecond: 5,
  handshakes: { users: 600, concurrency: 16, deadlineMs: 15_000, warmup: 30 },
  send: { conversations: 10, rate: 20, bigRate: 5, warmupMs: 1_000, measureMs: 10_000, drainMs: 2_000, warmupDeadlineMs: 10_000 },
  // Send with and without the search index at the large size: rounds in all, alternating (size-search.mjs).
  sendIndexRounds: 12,
  // After each of those rounds, before its database CPU is read: the indexer's version move (10 s after its writes), and a margin.
  sendIndexSettleMs: 12_000,
};

const RELAXED_RATE_LIMITS = {
  RATE_LIMIT_MESSAGES_PER_SECOND: "100000",
  RATE_LIMIT_MESSAGES_BURST: "1000000",
  RATE_LIMIT_REQUESTS: "1000000/60",
  RATE_LIMIT_SEARCHES: "1000000/60",
};

/** Fails early, before anything is seeded, when `npm run build` has not made the web app. */
export function checkWebBuild() {
  if (!existsSync(path.join(root, ".next/BUILD_ID"))) throw new Error("the size phase runs the built web app: run `npm run build` first (or BENCH_PHASES=compare)");
}

export async function sizePhase(context, config = SIZE_CONFIG) {
  const started = performance.now();
  const plan = planSizePopulation({ sizes: config.sizes });
  // One set of secrets for every size's Parley: the same users (same ids) sign in to each.
  const secrets = {
    NEXTAUTH_SECRET: randomBytes(32).toString("base64url"),
    REALTIME_TOKEN_SECRET: randomBytes(32).toString("base64url"),
    INTERNAL_EVENTS_SECRET: randomBytes(32).toString("base64url"),
  };
  // Long enough for the whole phase: Parley closes a socket when its token expires.
  const tokens = await mintTokens({ secret: secrets.REALTIME_TOKEN_SECRET, users: plan.users, ttlSeconds: 3600 });
  const results = { config, sizes: {} };
  const stacks = [];
  try {
    for (const size of config.sizes) {
      const dbName = `parley_size_${size.key}_${randomBytes(3).toString("hex")}`;
      context.ownDatabase(dbName);
      log(`size ${size.key}: seeding ${plan.totals[size.key]} messages into ${dbName}`);
      const seeded = await seedSize({ uri: context.db.uri, dbName, plan, key: size.key });
      const rate = seeded.counts.messages / (seeded.seededMs / 1000);
      log(`size ${size.key}: seeded ${JSON.stringify(seeded.counts)} in ${(seeded.seededMs / 1000).toFixed(1)} s (${rate.toFixed(0)} messages/s), Parley's indexes built in ${(seeded.indexMs / 1000).toFixed(1)} s`);
      log(`size ${size.key}: search index built in ${(seeded.search.ms / 1000).toFixed(1)} s, ${seeded.search.stored} postings`);
      const searchReach = Object.fromEntries(["grown", "steady"].map((set) => [set, searchersReach(plan, set, size.key)]));
      results.sizes[size.key] = { size, counts: seeded.counts, seededMs: seeded.seededMs, indexMs: seeded.indexMs, search: seeded.search, searchReach, largest: largest(plan, size.key) };
      stacks.push({ key: size.key, dbName, positions: seeded.positions });
    }
    // Both sizes' Parley run side by side, each on its own database, and every figure alternates between them.
    for (const stack of stacks) {
      stack.parley = await startParley({ uri: context.db.uri, dbName: stack.dbName, secrets });
      context.cleanups.push(() => stack.parley.stop());
      log(`size ${stack.key}: Parley up (socket pid ${stack.parley.socket.pid}, web pid ${stack.parley.web.pid}) in ${(stack.parley.startMs / 1000).toFixed(1)} s`);
    }
    const measured = await measureSizes({ context, stacks, plan, tokens, secret: secrets.NEXTAUTH_SECRET, config });
    for (const stack of stacks) results.sizes[stack.key].figures = measured[stack.key];
    // Sending on the large size with the index and without it: two fresh Parleys on its database,
    // started together once the measured ones are stopped, so that the arms differ in the index
    // alone (not in a process warmed and grown by every figure above against a new one).
    for (const stack of stacks) await stack.parley.stop();
    const large = stacks.at(-1);
    const [on, off] = await Promise.all([startParley({ uri: context.db.uri, dbName: large.dbName, secrets }), startParley({ uri: context.db.uri, dbName: large.dbName, secrets, env: { SEARCH_INDEX: "off" } })]);
    context.cleanups.push(() => on.stop(), () => off.stop());
    try {
      log(`size ${large.key}: two fresh Parleys, with the search index (socket pid ${on.socket.pid}) and with SEARCH_INDEX=off (socket pid ${off.socket.pid})`);
      results.sendIndex = { key: large.key, ...(await measureSendWithoutIndex({ context, stack: { ...large, parley: on }, off, plan, tokens, config })) };
    } finally {
      await Promise.all([on.stop(), off.stop()]);
    }
  } finally {
    for (const stack of stacks) await stack.parley?.stop();
  }
  results.durationMs = performance.now() - started;
  log(`size phase done in ${(results.durationMs / 1000).toFixed(0)} s`);
  return results;
}

const largest = (plan, key) => plan.conversations.map((c) => c.counts[key]).sort((a, b) => b - a).slice(0, 4);

/** Parley's socket server and web app on free loopback ports, as test/support/stack.ts starts them. */
async function startParley({ uri, dbName, secrets, env: extra = {} }) {
  const begun = performance.now();
  const [socketPort, webPort] = [await freePort(), await freePort()];
  const socketUrl = `http://127.0.0.1:${socketPort}`;
  const webUrl = `http://127.0.0.1:${webPort}`;
  const env = {
    NODE_ENV: "production",
    MONGODB_URI: uri,
    MONGODB_DB: dbName,
    NEXTAUTH_URL: webUrl,
    ALLOWED_ORIGINS: ORIGIN,
    ...secrets,
    SOCKET_PORT: String(socketPort),
    SOCKET_PUBLIC_URL: socketUrl,
    SOCKET_INTERNAL_URL: socketUrl,
    NEXT_TELEMETRY_DISABLED: "1",
    ...RELAXED_RATE_LIMITS,
    ...extra,
  };
  const socket = startService({ name: "size-socket", command: process.execPath, args: [...SOCKET_SERVER_NODE_ARGS, "dist/socket-server/index.mjs"], env, quiet: true, keepLines: 40 });
  const nextBin = path.join(root, "node_modules/next/dist/bin/next");
  const web = startService({ name: "size-web", command: process.execPath, args: [nextBin, "start", "-p", String(webPort), "-H", "127.0.0.1"], env, quiet: true, keepLines: 40 });
  const stop = async () => {
    await Promise.all([socket.stop(), web.stop()]);
  };
  try {
    await waitForHttp(`${socketUrl}/health`, { service: socket, timeoutMs: 30_000 });
    await waitForHttp(`${webUrl}/api/health`, { service: web, timeoutMs: 60_000 });
  } catch (error) {
    await stop();
    throw error;
  }
  return { socket, web, socketUrl, webUrl, startMs: performance.now() - begun, stop, tails: () => ({ socket: socket.tail(), web: web.tail() }) };
}
