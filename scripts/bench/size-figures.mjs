// What the data-size phase measures, through Parley: handshakes/s; history pages of a small and of
// the 20,000-message conversation (latest, and `before` deep inside); conversation lists with
// unread counts; sync over HTTP and over the socket; send→receive at a modest rate. Every figure
// is warmed up first and bounded in time (what did not finish is counted, as infinitely slow, not
// waited for), with the processes idle before it starts.
import { randomUUID } from "node:crypto";
import { log } from "./context.mjs";
import { settlePids } from "./phases-load.mjs";
import { getJson, openSocket, request, sendReceive, sessionCookie, summarize, timedRequests } from "./size-measure.mjs";
import { SHAPE } from "./size-population.mjs";
import { defineSearchFigures, sendWithAndWithoutIndex } from "./size-search.mjs";
import { fmt, sleep } from "./stats.mjs";
import { ORIGIN, readCpuMs } from "./targets.mjs";

// Parley announces a user offline (and stores lastSeenAt) this long after their last socket closed (lib/env.js default).
const PRESENCE_GRACE_MS = 3_000;
// A figure whose requests timed out in Parley leaves their queries running in the database: the
// next one starts only once every process is idle again, or after this long.
const SETTLE_MS = 30_000;

/**
 * Every figure on every stack ({ key, parley, positions }, one per size), interleaved: each figure
 * runs on one size right after the other, in alternating order, so that whatever else the machine
 * does at the time falls on both sizes alike. Returns { [size key]: { [figure]: result } }.
 */
export async function measureSizes({ context, stacks, plan, tokens, secret, config }) {
  const pids = [...stacks.flatMap((s) => [s.parley.socket.pid, s.parley.web.pid]), context.dbPid, context.generator.pid];
  const cookies = new Map();
  const cookie = async (u) => cookies.get(u) ?? cookies.set(u, await sessionCookie({ secret, user: plan.users[u] })).get(u);
  const http = (stack, path, u, signal) => cookie(u).then((value) => getJson(stack.parley.webUrl, path, value, signal));
  const env = { context, plan, tokens, config, pids, http };
  const results = Object.fromEntries(stacks.map((stack) => [stack.key, {}]));
  for (const [n, figure] of defineFigures(env).entries()) {
    for (const stack of n % 2 === 0 ? stacks : [...stacks].reverse()) {
      try {
        Object.assign(results[stack.key], await figure.run(stack));
      } catch (error) {
        // One figure's failure to even start (its sockets refused) is its result, not the end of the phase.
        log(`  ${stack.key} ${figure.keys.join(", ")}: not measured: ${error.message}`);
        for (const key of figure.keys) results[stack.key][key] ??= summarize([], { planned: config.requests, started: 0, failed: 0, unfinished: 0, notMeasured: error.message.slice(0, 80) });
      }
    }
  }
  await quiet(pids, "the end of the phase");
  return results;
}

/** The figures in the order they run: those that pass today first, those that fail (and leave their abandoned queries running in the database) last. */
function defineFigures(env) {
  const { plan, tokens, config, http } = env;
  const { big, small, listUsers } = plan;
  const id = (c) => c.id.toHexString();
  const requests = (key, run) => ({ keys: [key], run: async (stack) => ({ [key]: await timed(env, stack, key, (i, signal) => run(stack, i, signal)) }) });
  const smallAt = (i) => small[i % small.length];
  const smallMember = (i) => smallAt(i).members[Math.floor(i / small.length) % smallAt(i).members.length];
  const bigMember = (i) => big.members[i % big.members.length];
  // Deep inside: a different page each time, from a quarter to three quarters of the way in.
  const deep = (i) => Math.round(SHAPE.big.messages * (0.25 + ((i * 0.618) % 0.5)));
  const last = (stack, c) => stack.positions.get(id(c));
  // Socket sync: eight of the list users, each in the big conversation and in small group j = its own offset.
  const syncUsers = listUsers.slice(0, 8);
  const smallOf = (k) => small[syncUsers[k] - SHAPE.listUsers.from];
  return [
    { keys: ["handshakes"], run: async (stack) => ({ handshakes: await handshakes(env, stack) }) },
    requests("historySmallLatest", (stack, i, signal) => http(stack, `/api/conversations/${id(smallAt(i))}/messages?limit=50`, smallMember(i), signal)),
    requests("historySmallBefore", (stack, i, signal) => http(stack, `/api/conversations/${id(smallAt(i))}/messages?limit=50&before=${15 + (i % 20)}`, smallMember(i), signal)),
    requests("syncHttpBig", (stack, i, signal) => http(stack, `/api/conversations/${id(big)}/sync?since=${last(stack, big).version - 5 - (i % 20)}`, bigMember(i), signal)),
    {
      keys: ["syncSocketSmall", "syncSocketBig"],
      run: async (stack) => {
        const sockets = await Promise.all(syncUsers.map((u) => openSocket(stack.parley.socketUrl, tokens[u])));
        try {
          const sync = (k, c, behind, signal) => request(sockets[k], "sync", { conversationId: id(c), sinceVersion: Math.max(0, last(stack, c).version - behind) }, signal);
          return {
            syncSocketSmall: await timed(env, stack, "syncSocketSmall", (i, signal) => sync(i % sockets.length, smallOf(i % sockets.length), 2 + (i % 5), signal)),
            syncSocketBig: await timed(env, stack, "syncSocketBig", (i, signal) => sync(i % sockets.length, big, 5 + (i % 20), signal)),
          };
        } finally {
          sockets.forEach((socket) => socket.close());
          await sleep(PRESENCE_GRACE_MS + 500);
        }
      },
    },
    // Into conversations that are the same at both sizes: ten of the small groups (the big one alone comes last).
    { keys: ["send"], run: async (stack) => ({ send: await sendFigure(env, stack, { conversations: small.slice(0, config.send.conversations), send: config.send, key: "send" }) }) },
    requests("list", (stack, i, signal) => http(stack, "/api/conversations", listUsers[i % listUsers.length], signal)),
    ...defineSearchFigures({ plan, tokens, http, timed: (stack, key, run, load) => timed(env, stack, key, run, load), perSecond: config.searchPerSecond }),
    requests("historyBigLatest", (stack, i, signal) => http(stack, `/api/conversations/${id(big)}/messages?limit=50`, bigMember(i), signal)),
    requests("historyBigDeep", (stack, i, signal) => http(stack, `/api/conversations/${id(big)}/messages?limit=50&before=${deep(i)}`, bigMember(i), signal)),
    { keys: ["sendBig"], run: async (stack) => ({ sendBig: await sendFigure(env, stack, { conversations: [big], send: { ...config.send, rate: config.send.bigRate }, key: "sendBig" }) }) },
  ];
}

/**
 * Send→receive on `stack` (the large size) with the search index, and on `off` (a second Parley on
 * its database with SEARCH_INDEX=off) without it, in alternating rounds (size-search.mjs).
 */
export async function measureSendWithoutIndex({ context, stack, off, plan, tokens, config }) {
  const pids = [stack.parley.socket.pid, stack.parley.web.pid, off.socket.pid, off.web.pid, context.dbPid, context.generator.pid];
  const env = { context, tokens, pids };
  // Each round's database CPU also takes in what its sends cost later: the index arm's indexer moves
  // a conversation's version 10 s after writing its postings (lib/search/indexer.ts), which would
  // otherwise fall into the next round, often the other arm's. Both arms wait alike.
  const send = (target, { conversations, key }) => sendFigure(env, target, { conversations, send: { ...config.send, keepSamples: true }, key, settleMs: config.sendIndexSettleMs });
  return sendWithAndWithoutIndex({ stack, off, plan, sendFigure: send, log, rounds: config.sendIndexRounds });
}

/**
 * A figure of timed requests: warmed up (a few untimed, stopping at the first failure), then with
 * every process idle, `config.requests` of them, `config.concurrency` at a time (or as `load`
 * says: { perSecond, deadlineMs }, arriving at that rate), bounded in time. When not all finish, a
 * few more one at a time: does one fail alone too, or only in company?
 */
async function timed({ context, config, pids }, stack, key, run, load = {}) {
  const name = `${stack.key} ${key}`;
  const bounded = { count: config.requests, concurrency: config.concurrency, deadlineMs: config.figureDeadlineMs, giveUpAfter: config.giveUpAfter };
  await timedRequests({ ...bounded, ...config.warmup, run: (i, signal) => run(i + 7919, signal) });
  await quiet(pids, name);
  const dbBefore = readCpuMs(context.dbPid);
  const result = await timedRequests({ ...bounded, ...load, run });
  result.dbCpuMsPerRequest = (readCpuMs(context.dbPid) - dbBefore) / Math.max(1, result.started);
  log(`  ${name}: p50 ${fmt(result.p50)} ms, p95 ${fmt(result.p95)} ms, ${result.completed}/${result.planned} done in ${fmt(result.wallMs / 1000)} s${describeMisses(result)}; ${describeAnswer(result.first)}`);
  if (result.completed < result.planned) {
    await quiet(pids, name);
    result.alone = await timedRequests({ ...config.alone, concurrency: 1, run: (i, signal) => run(i + 104729, signal) });
    log(`  ${name}, one at a time: ${result.alone.completed}/${result.alone.planned} done, p50 ${fmt(result.alone.p50)} ms${describeMisses(result.alone)}`);
  }
  return result;
}

/** Handshakes/s: `users` users (every third, so all kinds of them) connect, `concurrency` at a time, within the deadline. */
async function handshakes({ context, plan, tokens, config: { handshakes: config }, pids }, { key, parley }) {
  const members = (indexes) => indexes.map((index) => ({ index, conversationId: "", room: "size", auth: { token: tokens[index] } }));
  const target = { kind: "sio", url: parley.socketUrl, origin: ORIGIN };
  const every = (offset, count) => Array.from({ length: count }, (_, k) => offset + 3 * k).filter((u) => u < plan.users.length);
  await context.generator.call("connect", { pool: "size-warmup", target, members: members(every(1, config.warmup)), concurrency: config.concurrency, timeoutMs: config.deadlineMs });
  await context.generator.call("close", { pool: "size-warmup" });
  await sleep(PRESENCE_GRACE_MS + 500);
  await quiet(pids, `${key} handshakes`);
  const indexes = every(0, config.users);
  const result = await context.generator.call("connect", { pool: "size-handshakes", target, members: members(indexes), concurrency: config.concurrency, timeoutMs: config.deadlineMs, attempts: 1 });
  await context.generator.call("close", { pool: "size-handshakes" });
  const perSecond = result.connected / (result.ms / 1000);
  log(`  ${key} handshakes: ${result.connected}/${indexes.length} connected in ${fmt(result.ms / 1000)} s: ${fmt(perSecond, 0)}/s${result.refusals ? ` (refused: ${JSON.stringify(result.reasons)})` : ""}`);
  await sleep(PRESENCE_GRACE_MS + 500);
  return { ...result, planned: indexes.length, perSecond };
}

/**
 * Two members' sockets in each conversation; one sends, the other times the delivery. Warmed up by
 * one acknowledged send per conversation first (Parley reads a conversation's highest positions
 * at its first send, then remembers them: lib/chat/sequencer.ts).
 */
async function sendFigure({ context, tokens, pids }, { key: size, parley }, { conversations, send: config, key, settleMs = 0 }) {
  const pairs = [];
  try {
    for (const c of conversations) {
      const sockets = await Promise.all([c.members[0], c.members.at(-1)].map((u) => openSocket(parley.socketUrl, tokens[u])));
      pairs.push({ conversationId: c.id.toHexString(), sockets });
    }
    const warmup = await timedRequests({
      count: pairs.length,
      concurrency: 1,
      deadlineMs: config.warmupDeadlineMs,
      run: (i, signal) => request(pairs[i].sockets[0], "message:send", { conversationId: pairs[i].conversationId, clientMsgId: randomUUID(), text: "warm-up" }, signal),
    });
    if (warmup.completed < pairs.length) log(`  ${size} ${key} warm-up: ${warmup.completed}/${pairs.length} sends acknowledged${describeMisses(warmup)}`);
    await quiet(pids, `${size} ${key}`);
    const dbBefore = readCpuMs(context.dbPid);
    const result = await sendReceive(pairs, config);
    if (settleMs > 0) await sleep(settleMs);
    result.dbCpuMsPerRequest = (readCpuMs(context.dbPid) - dbBefore) / Math.max(1, result.sent);
    result.warmup = warmup;
    log(`  ${size} ${key} @ ${config.rate} msg/s over ${pairs.length} conversation(s): p50 ${fmt(result.p50)} ms, p99 ${fmt(result.p99)} ms, ${result.completed}/${result.planned} delivered, database CPU ${fmt(result.dbCpuMsPerRequest)} ms per send${result.ackErrors ? `, ${result.ackErrors} sends refused ${JSON.stringify(result.errors)}` : ""}`);
    return result;
  } finally {
    for (const pair of pairs) pair.sockets.forEach((socket) => socket.close());
  }
}

async function quiet(pids, key) {
  const waited = await settlePids(pids, SETTLE_MS);
  if (waited > 2_000) log(`  ${key}: waited ${fmt(waited / 1000)} s for Parley and the database to go idle${waited >= SETTLE_MS ? " (they did not)" : ""}`);
}

const describeMisses = (r) =>
  r.failed || r.unfinished ? ` (${r.failed} failed ${JSON.stringify(r.errors)}, ${r.unfinished} unfinished at the deadline, ${r.planned - r.started} not started${r.gaveUp ? ": gave up after failures only" : ""})` : "";

/** What the first answer held, so a broken seed or a signed-out cookie shows in the log, not only as odd numbers. */
function describeAnswer(body) {
  if (!body) return "no answer";
  if (Array.isArray(body.conversations)) return `${body.conversations.length} conversations, ${body.conversations.filter((c) => c.unreadCount > 0).length} with unread`;
  if (Array.isArray(body.hits)) return `${body.hits.length} hits${body.partial ? ", partial" : ""}${body.cursor ? ", more" : ""}`;
  if (Array.isArray(body.messages)) return `${body.messages.length} messages${body.hasMore ? ", more" : ""}, version ${body.version}`;
  return "answered";
}
